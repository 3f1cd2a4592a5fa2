import { ApolloServer, HeaderMap } from '@apollo/server';
import { buildSchema } from 'graphql';
import { formatError } from '../errors';
import { rateLimitedError } from './rate.limiter';

// The token bucket itself (kept in PostgreSQL, shared by processes) is tested in deploy/src/e2e/graphql-rate-limit.int.test.ts.

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
