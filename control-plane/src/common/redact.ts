/** Field names whose values are secret material; they never reach the audit log or logs. */
const SECRET_FIELDS = /^(key|token|secret|password|consumerSecret|tokenSecret|clientSecret|privateKey|accessToken|refreshToken|secrets|signingSecret|url)$/i;

/** A deep copy with secret fields replaced by "[redacted]". */
export function redact(value: unknown, depth = 0): unknown {
  if (depth > 8 || value === null || typeof value !== 'object') return value;
  if (value instanceof Date) return value.toISOString();
  if (Array.isArray(value)) return value.map((v) => redact(v, depth + 1));
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) {
    if (v === undefined) continue;
    out[k] = SECRET_FIELDS.test(k) && v !== null && typeof v !== 'object' ? '[redacted]' : redact(v, depth + 1);
  }
  return out;
}
