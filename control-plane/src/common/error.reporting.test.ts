import { ApolloServer } from '@apollo/server';
import { buildSchema } from 'graphql';
import { loadControlPlaneEnv } from '../env';
import { errorReporting } from './error.reporting';

const schema = buildSchema(`type Query { boom: String ok: String }`);
const rootValue = { boom: () => { throw new Error(`disk full at ${__filename}`); }, ok: () => 'ok' };
const required = { HUB_DATABASE_URL: 'postgres://h/db', HUB_AMQP_URL: 'amqp://h', HUB_MASTER_KEYS: 'k1:AAAA' };

async function bodyOf(debug: Record<string, string>, query: string): Promise<string> {
  const apollo = new ApolloServer({ schema, rootValue, ...errorReporting(loadControlPlaneEnv({ ...required, ...debug }), () => undefined) });
  await apollo.start();
  try {
    const res = await apollo.executeOperation({ query });
    return JSON.stringify(res.body);
  } finally {
    await apollo.stop();
  }
}

describe('errorReporting', () => {
  const saved = process.env.NODE_ENV;
  // Apollo decides on stack traces from NODE_ENV when nobody tells it; `npm start` leaves it unset.
  beforeEach(() => { delete process.env.NODE_ENV; });
  afterAll(() => { process.env.NODE_ENV = saved; });

  it.each([
    ['a resolver failing with an internal error', '{ boom }'],
    ['a query that does not validate', '{ nope }'],
    ['a query that does not parse', '{ ok'],
  ])('answers %s without a stack trace or a server path when NODE_ENV is unset', async (_, query) => {
    const body = await bodyOf({}, query);
    expect(body).toContain('"errors"');
    expect(body).not.toContain('stacktrace');
    expect(body).not.toContain(__dirname);
    expect(body).not.toMatch(/"\/(work|home|usr|root)\//);
  });

  it('shows stack traces only with HUB_GRAPHQL_DEBUG=true', async () => {
    expect(await bodyOf({ HUB_GRAPHQL_DEBUG: 'true' }, '{ nope }')).toContain('stacktrace');
    expect(await bodyOf({ HUB_GRAPHQL_DEBUG: 'true' }, '{ boom }')).toContain('stacktrace');
    expect(() => loadControlPlaneEnv({ ...required, HUB_GRAPHQL_DEBUG: 'yes' })).toThrow();
  });
});
