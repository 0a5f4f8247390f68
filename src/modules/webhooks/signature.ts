import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

/** The header that carries the signature of a delivery. */
export const SIGNATURE_HEADER = 'Cangku-Signature';

/** A new subscription secret: `whsec_` and 32 random bytes (base64url). The whole string is the HMAC key. */
export function generateSecret(): string {
  return `whsec_${randomBytes(32).toString('base64url')}`;
}

/** HMAC-SHA256 (hex) of `<t>.<body>` under the secret: binds the timestamp to the exact bytes sent. */
function mac(secret: string, timestamp: number, body: string): string {
  return createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex');
}

/** `t=<unix seconds>,v1=<hex>`: the value of Cangku-Signature for this body at this time. */
export function signatureHeader(secret: string, body: string, timestamp: number): string {
  return `t=${timestamp},v1=${mac(secret, timestamp, body)}`;
}

/**
 * What a receiver does (and what the tests do): parse `t` and every `v1`, recompute the HMAC over
 * the raw body, compare in constant time, and refuse timestamps further than `toleranceSeconds`
 * from its own clock (a replayed old delivery).
 */
export function verifySignature(secret: string, header: string | null | undefined, body: string, nowSeconds: number, toleranceSeconds = 300): boolean {
  if (!header) return false;
  let timestamp: number | undefined;
  const candidates: string[] = [];
  for (const part of header.split(',')) {
    const [key, value] = part.trim().split('=', 2);
    if (key === 't' && value && /^\d{1,12}$/.test(value)) timestamp = Number(value);
    if (key === 'v1' && value) candidates.push(value);
  }
  if (timestamp === undefined || Math.abs(nowSeconds - timestamp) > toleranceSeconds) return false;
  const expected = Buffer.from(mac(secret, timestamp, body), 'hex');
  return candidates.some((c) => /^[0-9a-f]{64}$/.test(c) && timingSafeEqual(Buffer.from(c, 'hex'), expected));
}
