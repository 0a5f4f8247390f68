import { z } from 'zod';
import { defineRoute, type RouteSpec } from '../../http/route.js';
import { IdParams } from '../../http/schemas.js';
import { getRedelivery, listDeliveries, requestRedelivery } from './log.js';
import { CreateWebhookBody, DeliveryQuery, DeliveryView, RedeliveryBody, RedeliveryView, UpdateWebhookBody, WebhookView, WebhookWithSecret } from './schemas.js';
import { createSubscription, getSubscription, listSubscriptions, rotateSecret, updateSubscription } from './subscriptions.js';

const TAG = 'webhooks';
const RedeliveryParams = z.strictObject({
  id: z.coerce.number().int().positive().max(Number.MAX_SAFE_INTEGER),
  redeliveryId: z.coerce.number().int().positive().max(Number.MAX_SAFE_INTEGER),
});

/** Webhook subscriptions, their delivery log and manual redelivery; all need webhook.manage. */
export const webhookRoutes: RouteSpec[] = [
  defineRoute({
    method: 'POST', path: '/webhooks', tag: TAG, summary: 'Subscribe a URL to event types; the signing secret is in this response only', body: CreateWebhookBody,
    responses: { 201: { description: 'Created, with its secret', schema: WebhookWithSecret } },
    handler: ({ ctx, body }) => createSubscription(ctx, body),
  }),
  defineRoute({
    method: 'GET', path: '/webhooks', tag: TAG, summary: 'List webhook subscriptions with their delivery state',
    responses: { 200: { description: 'Every subscription of the company', schema: z.object({ items: z.array(WebhookView) }) } },
    handler: async ({ ctx }) => ({ status: 200, body: await listSubscriptions(ctx) }),
  }),
  defineRoute({
    method: 'GET', path: '/webhooks/{id}', tag: TAG, summary: 'A webhook subscription and its delivery state', params: IdParams,
    responses: { 200: { description: 'The subscription (without its secret)', schema: WebhookView } },
    handler: async ({ ctx, params }) => ({ status: 200, body: await getSubscription(ctx, params.id) }),
  }),
  defineRoute({
    method: 'PATCH', path: '/webhooks/{id}', tag: TAG, summary: 'Change URL, event types or description; disable (active: false) or resume', params: IdParams, body: UpdateWebhookBody,
    responses: { 200: { description: 'The subscription', schema: WebhookView } },
    handler: ({ ctx, params, body }) => updateSubscription(ctx, params.id, body),
  }),
  defineRoute({
    method: 'POST', path: '/webhooks/{id}/secret', tag: TAG, summary: 'Replace the signing secret; the new one is in this response only', params: IdParams,
    responses: { 200: { description: 'The subscription with its new secret', schema: WebhookWithSecret } },
    handler: ({ ctx, params }) => rotateSecret(ctx, params.id),
  }),
  defineRoute({
    method: 'GET', path: '/webhooks/{id}/deliveries', tag: TAG, summary: 'Delivery log, newest first: every attempt with status code, error and duration; pass `next` back as `before`',
    params: IdParams, query: DeliveryQuery,
    responses: { 200: { description: 'A page of attempts', schema: z.object({ items: z.array(DeliveryView), next: z.string().optional() }) } },
    handler: async ({ ctx, params, query }) => ({ status: 200, body: await listDeliveries(ctx, params.id, query) }),
  }),
  defineRoute({
    method: 'POST', path: '/webhooks/{id}/redeliveries', tag: TAG, summary: 'Send one event again (once, outside the ordered stream); the worker sends it shortly', params: IdParams, body: RedeliveryBody,
    responses: { 202: { description: 'Queued', schema: RedeliveryView } },
    handler: ({ ctx, params, body }) => requestRedelivery(ctx, params.id, body.eventId),
  }),
  defineRoute({
    method: 'GET', path: '/webhooks/{id}/redeliveries/{redeliveryId}', tag: TAG, summary: 'State of a manual redelivery (its attempt is in the delivery log)', params: RedeliveryParams,
    responses: { 200: { description: 'The redelivery', schema: RedeliveryView } },
    handler: async ({ ctx, params }) => ({ status: 200, body: await getRedelivery(ctx, params.id, params.redeliveryId) }),
  }),
];
