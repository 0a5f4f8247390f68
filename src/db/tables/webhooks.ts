/** Tables of webhook subscriptions and deliveries (src/modules/webhooks). */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type
export interface WebhookTables {}
