import type { RouteSpec } from '../../http/route.js';
import { partnerRoutes } from './partners-routes.js';
import { purchaseOrderRoutes } from './purchase-orders-routes.js';
import { receiptRoutes } from './receipts-routes.js';
import { supplierReturnRoutes } from './supplier-returns-routes.js';

/** Procure-to-stock, purchasing side: partners, purchase orders, receipts with inspection, returns. */
export const procurementRoutes: RouteSpec[] = [...partnerRoutes, ...purchaseOrderRoutes, ...receiptRoutes, ...supplierReturnRoutes];
