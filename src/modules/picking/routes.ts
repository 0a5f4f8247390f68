import { z } from 'zod';
import { defineRoute, type RouteSpec } from '../../http/route.js';
import { IdParams } from '../../http/schemas.js';
import { cancelWave } from './cancel.js';
import { listWaveCandidates } from './candidates.js';
import { scanTask, scanWave } from './scan.js';
import { CancelWaveBody, CandidateQuery, CandidateView, ResolveBody, ScanBody, ShortBody, ShortResult, SuggestionQuery, SuggestionView, TaskView, WaveBody, WaveQuery, WaveSummary, WaveView } from './schemas.js';
import { getTask, getWave, listWaves } from './service.js';
import { shortPick } from './short.js';
import { getCountSuggestion, listCountSuggestions, openCountForSuggestion, resolveCountSuggestion } from './suggestions.js';
import { createWave } from './waves.js';

const tag = 'picking';
/** Actions take no body; an empty JSON object is accepted too. */
const NoBody = z.strictObject({}).optional();

export const pickingRoutes: RouteSpec[] = [
  defineRoute({
    method: 'POST', path: '/pick-waves', tag, summary: 'Cut a pick wave: one task per open reservation (order line, bin, lot) of the orders, in bin order; expired or too-short-dated lots are re-reserved first', body: WaveBody,
    responses: { 201: { description: 'The wave with its tasks', schema: WaveView } },
    handler: ({ ctx, body }) => createWave(ctx, body),
  }),
  defineRoute({
    method: 'GET', path: '/pick-waves', tag, summary: 'List pick waves, newest first', query: WaveQuery,
    responses: { 200: { description: 'A page of waves', schema: z.object({ items: z.array(WaveSummary), next: z.string().optional() }) } },
    handler: async ({ ctx, query }) => ({ status: 200, body: await listWaves(ctx, query) }),
  }),
  defineRoute({
    method: 'GET', path: '/pick-waves/candidates', tag, summary: 'Orders waiting for a wave in a warehouse (confirmed, open reservations there without a task), by priority then age, to choose the orders of a wave', query: CandidateQuery,
    responses: { 200: { description: 'The orders, and whether more match than the limit', schema: z.object({ items: z.array(CandidateView), more: z.boolean() }) } },
    handler: async ({ ctx, query }) => ({ status: 200, body: await listWaveCandidates(ctx, query) }),
  }),
  defineRoute({
    method: 'GET', path: '/pick-waves/{id}', tag, summary: 'Get a pick wave with its tasks in picking order', params: IdParams,
    responses: { 200: { description: 'The wave', schema: WaveView } },
    handler: async ({ ctx, params }) => ({ status: 200, body: await getWave(ctx, params.id) }),
  }),
  defineRoute({
    method: 'POST', path: '/pick-waves/{id}/scan', tag, summary: 'Pick by scan within a wave: bin, item and lot find the open task (route order); nothing matching is 422 naming the field', params: IdParams, body: ScanBody,
    responses: { 200: { description: 'The task the scan was booked on', schema: TaskView } },
    handler: ({ ctx, params, body }) => scanWave(ctx, params.id, body),
  }),
  defineRoute({
    method: 'POST', path: '/pick-waves/{id}/cancel', tag, summary: 'Cancel an open wave where nothing was picked: its open tasks go, the orders keep their reservations and wait for a new wave; picked, done or cancelled: 409', params: IdParams, body: CancelWaveBody,
    responses: { 200: { description: 'The wave, cancelled', schema: WaveView } },
    handler: ({ ctx, params, body }) => cancelWave(ctx, params.id, body ?? {}),
  }),
  defineRoute({
    method: 'GET', path: '/pick-tasks/{id}', tag, summary: 'Get a pick task', params: IdParams,
    responses: { 200: { description: 'The task', schema: TaskView } },
    handler: async ({ ctx, params }) => ({ status: 200, body: await getTask(ctx, params.id) }),
  }),
  defineRoute({
    method: 'POST', path: '/pick-tasks/{id}/scan', tag, summary: 'Pick by scan: bin, item (SKU or barcode), lot/serial, quantity; a wrong one is 422 naming it, more than is left 409', params: IdParams, body: ScanBody,
    responses: { 200: { description: 'The task after the scan', schema: TaskView } },
    handler: ({ ctx, params, body }) => scanTask(ctx, params.id, body),
  }),
  defineRoute({
    method: 'POST', path: '/pick-tasks/{id}/short', tag, summary: 'Report a short pick: the missing quantity is held for a count, its reservation released and re-reserved from other stock or backordered', params: IdParams, body: ShortBody,
    responses: { 200: { description: 'The task, what was re-reserved and the count suggestion', schema: ShortResult } },
    handler: ({ ctx, params, body }) => shortPick(ctx, params.id, body ?? {}),
  }),
  defineRoute({
    method: 'GET', path: '/count-suggestions', tag, summary: 'Bins to count after short picks, newest first', query: SuggestionQuery,
    responses: { 200: { description: 'A page of suggestions', schema: z.object({ items: z.array(SuggestionView), next: z.string().optional() }) } },
    handler: async ({ ctx, query }) => ({ status: 200, body: await listCountSuggestions(ctx, query) }),
  }),
  defineRoute({
    method: 'GET', path: '/count-suggestions/{id}', tag, summary: 'Get a count suggestion', params: IdParams,
    responses: { 200: { description: 'The suggestion', schema: SuggestionView } },
    handler: async ({ ctx, params }) => ({ status: 200, body: await getCountSuggestion(ctx, params.id) }),
  }),
  defineRoute({
    method: 'POST', path: '/count-suggestions/{id}/count', tag, summary: 'Open a draft stock count of the bin (counts module) and link it', params: IdParams, body: NoBody,
    responses: { 200: { description: 'The suggestion, counting, with its countId', schema: SuggestionView } },
    handler: ({ ctx, params }) => openCountForSuggestion(ctx, params.id),
  }),
  defineRoute({
    method: 'POST', path: '/count-suggestions/{id}/resolve', tag, summary: 'Settle the held quantity: what was found goes back to the bin, the rest is written off', params: IdParams, body: ResolveBody,
    responses: { 200: { description: 'Resolved', schema: SuggestionView } },
    handler: ({ ctx, params, body }) => resolveCountSuggestion(ctx, params.id, body),
  }),
];
