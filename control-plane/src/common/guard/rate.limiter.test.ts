import { ApolloServer, HeaderMap } from '@apollo/server';
import { buildSchema } from 'graphql';
import { formatError } from '../errors';
import { rateLimitedError, TokenRateLimiter, type RateLimiterOptions } from './rate.limiter';

function limiter(opts: Omit<RateLimiterOptions, 'now'>) {
  const clock = { ms: 1_000_000 };
  return { clock, limiter: new TokenRateLimiter({ ...opts, now: () => clock.ms }) };
}

describe('TokenRateLimiter', () => {
  it('allows a burst, then refuses with the time until the next token', () => {
    const { limiter: l } = limiter({ ratePerSec: 2, burst: 3 });
    expect([l.take('t'), l.take('t'), l.take('t')]).toEqual([{ ok: true }, { ok: true }, { ok: true }]);
    expect(l.take('t')).toEqual({ ok: false, retryAfterMs: 500 });
  });

  it('refills over time at ratePerSec, up to burst', () => {
    const { clock, limiter: l } = limiter({ ratePerSec: 2, burst: 3 });
    for (let i = 0; i < 3; i++) l.take('t');
    clock.ms += 200;
    expect(l.take('t')).toEqual({ ok: false, retryAfterMs: 300 });
    clock.ms += 300;
    expect(l.take('t')).toEqual({ ok: true });
    clock.ms += 60_000; // long quiet: back to a full burst of 3, not 120
    expect([1, 2, 3, 4].map(() => l.take('t').ok)).toEqual([true, true, true, false]);
  });

  it('lets a client that waits exactly retryAfterMs through, at an awkward rate', () => {
    const { clock, limiter: l } = limiter({ ratePerSec: 3, burst: 1 });
    l.take('t');
    for (let i = 0; i < 50; i++) {
      const r = l.take('t');
      if (r.ok) throw new Error('expected a refusal');
      clock.ms += r.retryAfterMs;
      expect(l.take('t')).toEqual({ ok: true });
    }
  });

  it('keeps keys independent', () => {
    const { limiter: l } = limiter({ ratePerSec: 1, burst: 1 });
    expect(l.take('a')).toEqual({ ok: true });
    expect(l.take('a').ok).toBe(false);
    expect(l.take('b')).toEqual({ ok: true });
  });

  it('forgets buckets that have been full for idleEvictMs, and keeps the rest', () => {
    const { clock, limiter: l } = limiter({ ratePerSec: 1, burst: 10, idleEvictMs: 60_000 });
    l.take('quiet'); // full again 1 s later
    clock.ms += 30_000;
    for (let i = 0; i < 10; i++) l.take('busy'); // empty; full 10 s later
    clock.ms += 31_000; // quiet full for 60 s; busy full for 21 s
    l.take('other');
    expect(l.size).toBe(2);
    expect(l.take('busy')).toEqual({ ok: true }); // its state survived: 10 - 10 + refill
    clock.ms += 120_000;
    l.take('x');
    expect(l.size).toBe(1);
  });

  it('does not drain a bucket when the clock steps back', () => {
    const { clock, limiter: l } = limiter({ ratePerSec: 1, burst: 2 });
    l.take('t');
    clock.ms -= 10_000;
    expect(l.take('t')).toEqual({ ok: true });
  });

  it('refuses nonsense settings', () => {
    expect(() => new TokenRateLimiter({ ratePerSec: 0, burst: 1 })).toThrow(/ratePerSec/);
    expect(() => new TokenRateLimiter({ ratePerSec: 1, burst: 0.5 })).toThrow(/burst/);
  });
});

describe('rateLimitedError', () => {
  it('carries RATE_LIMITED, retryAfterMs and a 429 head with Retry-After in whole seconds', () => {
    const e = rateLimitedError(1200);
    expect(e.extensions).toMatchObject({ code: 'RATE_LIMITED', retryAfterMs: 1200, http: { status: 429 } });
    expect([...(e.extensions.http as { headers: HeaderMap }).headers]).toEqual([['retry-after', '2']]);
  });

  it('becomes an HTTP 429 with Retry-After when thrown from Apollo’s context function', async () => {
    const apollo = new ApolloServer({
      schema: buildSchema('type Query { ping: String }'),
      formatError: (formatted, error) => formatError(formatted, error, () => undefined),
    });
    await apollo.start();
    try {
      const res = await apollo.executeHTTPGraphQLRequest({
        httpGraphQLRequest: { method: 'POST', headers: new HeaderMap([['content-type', 'application/json']]), search: '', body: { query: '{ ping }' } },
        context: async () => {
          throw rateLimitedError(1500);
        },
      });
      expect(res.status).toBe(429);
      expect(res.headers.get('retry-after')).toBe('2');
      expect(res.body.kind).toBe('complete');
      const body = JSON.parse(res.body.kind === 'complete' ? res.body.string : '{}');
      expect(body.errors).toEqual([
        { message: 'Too many requests with this API token; retry in 2 s', extensions: { code: 'RATE_LIMITED', retryAfterMs: 1500 } },
      ]);
    } finally {
      await apollo.stop();
    }
  });
});
