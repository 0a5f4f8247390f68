import type { RouteSpec } from '../../http/route.js';
import { putawayRoutes } from './putaway-routes.js';
import { internalTransferRoutes } from './internal-transfers-routes.js';
import { transferRoutes } from './transfers-routes.js';
import { scrapRoutes } from './scrap-routes.js';

/** Warehouse moves: put-away rules and suggestions, internal transfers, transfers between warehouses, scrap. */
export const transfersRoutes: RouteSpec[] = [...putawayRoutes, ...internalTransferRoutes, ...transferRoutes, ...scrapRoutes];
