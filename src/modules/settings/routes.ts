import { z } from 'zod';
import { defineRoute } from '../../http/route.js';
import { getSettings, SettingsPatch, updateSettings } from './service.js';

const SettingsView = z.object({ purchaseApprovalThreshold: z.number(), overReceiptTolerancePercent: z.number(), countVarianceApprovalThreshold: z.number(), salesOrderLockHours: z.number().int() });

export const settingsRoutes = [
  defineRoute({
    method: 'GET', path: '/settings', tag: 'settings', summary: "The company's settings (approval thresholds, tolerances)",
    responses: { 200: { description: 'Settings', schema: SettingsView } },
    handler: async ({ ctx }) => ({ status: 200, body: await getSettings(ctx) }),
  }),
  defineRoute({
    method: 'PATCH', path: '/settings', tag: 'settings', summary: 'Change settings (admin)', body: SettingsPatch,
    responses: { 200: { description: 'Settings after the change', schema: SettingsView } },
    handler: ({ ctx, body }) => updateSettings(ctx, body),
  }),
];
