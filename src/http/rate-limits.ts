import type { FastifyInstance, FastifyRequest } from 'fastify';
import rateLimit from '@fastify/rate-limit';
import { DomainError } from '../core/errors.js';
import { sha256 } from '../modules/auth/service.js';
import type { SecurityConfig } from '../modules/auth/config.js';

type Limiter = (req: FastifyRequest) => Promise<{ isAllowed: true } | { isAllowed: false; isExceeded: boolean; ttlInSeconds: number; max: number }>;

/**
 * Request rate limits (@fastify/rate-limit's counting, our problem documents): login per client
 * address, every other API call per bearer token (per address without one). Checked in the
 * authentication hook, before the token is looked up, so floods cost no database work. Counters
 * live in this process (one server; behind several, put a shared limit at the proxy).
 */
export function registerRateLimits(app: FastifyInstance, config: SecurityConfig): (request: FastifyRequest, login: boolean) => Promise<void> {
  void app.register(rateLimit, { global: false });
  let login: Limiter | undefined;
  let api: Limiter | undefined;
  return async (request, isLogin) => {
    const create = (app as unknown as { createRateLimit(o: object): Limiter }).createRateLimit.bind(app);
    login ??= create({ max: config.loginPerMinute, timeWindow: 60_000, keyGenerator: (r: FastifyRequest) => `login:${r.ip}` });
    api ??= create({
      max: config.apiPerMinute, timeWindow: 60_000,
      keyGenerator: (r: FastifyRequest) => {
        const token = r.headers.authorization?.match(/^Bearer\s+(\S+)$/i)?.[1];
        return token ? `token:${sha256(token)}` : `ip:${r.ip}`;
      },
    });
    if ((isLogin ? config.loginPerMinute : config.apiPerMinute) === 0) return; // switched off
    const result = await (isLogin ? login : api)(request);
    if (!result.isAllowed && result.isExceeded) {
      const retryAfter = Math.max(1, result.ttlInSeconds);
      throw new DomainError('rate-limited', `more than ${result.max} requests a minute: try again in ${retryAfter} s`, undefined, { retryAfter });
    }
  };
}

declare module 'fastify' {
  interface FastifyContextConfig {
    /** Routes that skip the bearer token (login, the OpenAPI document, the web app). */
    public?: boolean;
  }
}
