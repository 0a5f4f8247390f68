import type { Store } from '../db/store.js';
import { forbidden } from '../core/errors.js';
import { hasPermission, type Permission } from '../modules/auth/permissions.js';

/** Who is acting: resolved from the bearer token by the HTTP layer, or the CLI's system actor. */
export interface Actor {
  orgId: number;
  userId: number;
  username: string;
  role: string;
  requestId: string;
}

/** Everything a service operation needs besides its input. */
export interface ServiceContext {
  store: Store;
  actor: Actor;
  /** Set when the caller sent an Idempotency-Key; `hash` identifies the request it came with. */
  idempotency?: { key: string; hash: string };
}

export function authorize(actor: Actor, permission: Permission): void {
  if (!hasPermission(actor.role, permission)) throw forbidden(`role ${actor.role} lacks ${permission}`);
}
