import { loadControlPlaneEnv, openDatabase, startControlPlane, TokenRateLimiter, type ControlPlane } from '@datahub/control-plane';
import { randomBytes } from 'node:crypto';
import type { DataSource } from 'typeorm';
import { gqlOk } from '../demo/graphql.client';
import { createTestDatabase, createTestVhost, type TestResource } from '../test/test-env';

/** The per-token GraphQL rate limit is one token bucket per API token in PostgreSQL, shared by every control-plane process. */
describe('GraphQL rate limit per API token', () => {
  let db: TestResource;
  let ds: DataSource;

  beforeAll(async () => {
    db = await createTestDatabase();
    ds = await openDatabase(db.url);
  });
  afterAll(async () => {
    await ds?.destroy();
    await db?.drop();
  });

  const limiter = (ratePerSec: number, burst: number, idleEvictMs?: number) => {
    const clock = { ms: 1_000_000 };
    return { clock, l: new TokenRateLimiter(ds, { ratePerSec, burst, idleEvictMs, now: () => clock.ms }) };
  };
  const key = () => `tok-${randomBytes(4).toString('hex')}`;

  it('allows a burst, then refuses with the time until the next token, and refills at ratePerSec up to burst', async () => {
    const { clock, l } = limiter(2, 3);
    const k = key();
    expect([await l.take(k), await l.take(k), await l.take(k)]).toEqual([{ ok: true }, { ok: true }, { ok: true }]);
    expect(await l.take(k)).toEqual({ ok: false, retryAfterMs: 500 });
    clock.ms += 200;
    expect(await l.take(k)).toEqual({ ok: false, retryAfterMs: 300 });
    clock.ms += 300;
    expect(await l.take(k)).toEqual({ ok: true });
    clock.ms += 60_000; // long quiet: back to a full burst of 3, not 120
    const after = [];
    for (let i = 0; i < 4; i++) after.push((await l.take(k)).ok);
    expect(after).toEqual([true, true, true, false]);
  });

  it('lets a client that waits exactly retryAfterMs through at an awkward rate, keeps keys apart, and survives a clock stepping back', async () => {
    const { clock, l } = limiter(3, 1);
    const k = key();
    await l.take(k);
    for (let i = 0; i < 20; i++) {
      const r = await l.take(k);
      if (r.ok) throw new Error('expected a refusal');
      clock.ms += r.retryAfterMs;
      expect(await l.take(k)).toEqual({ ok: true });
    }
    expect(await l.take(key())).toEqual({ ok: true });
    const back = limiter(1, 2);
    const b = key();
    await back.l.take(b);
    back.clock.ms -= 10_000;
    expect(await back.l.take(b)).toEqual({ ok: true });
  });

  it('forgets buckets idle for longer than it takes them to fill, which changes nothing for their keys', async () => {
    const { clock, l } = limiter(1, 10, 60_000);
    const quiet = key();
    await l.take(quiet);
    clock.ms += 61_000;
    await l.take(key()); // sweeps
    const rows = (await ds.query(`SELECT key FROM graphql_rate_buckets WHERE key = $1`, [quiet])) as unknown[];
    expect(rows).toHaveLength(0);
    const again = [];
    for (let i = 0; i < 11; i++) again.push((await l.take(quiet)).ok);
    expect(again.filter(Boolean)).toHaveLength(10);
  });

  it('leases a few tokens per statement to a busy process, and two processes together never exceed the burst', async () => {
    const clock = { ms: 2_000_000 };
    let statements = 0;
    const counting = { query: (sql: string, params?: unknown[]) => { statements += 1; return ds.query(sql, params); } };
    // Almost no refill: only the burst of 60 is there to spend. Leases of 6 (burst / 10) per statement.
    const opts = { ratePerSec: 0.001, burst: 60, now: () => clock.ms };
    const [a, b] = [new TokenRateLimiter(counting, opts), new TokenRateLimiter(counting, opts)];
    const k = key();
    let granted = 0;
    for (let i = 0; i < 100; i++) if ((await (i % 2 ? b : a).take(k)).ok) granted += 1;
    expect(granted).toBe(60);
    // 10 statements leased the 60 tokens 6 at a time; each of the 40 refused requests then asked once.
    expect(statements).toBe(10 + 40);
  });

  it('lets an unspent lease lapse after leaseMs instead of hoarding tokens', async () => {
    const clock = { ms: 3_000_000 };
    const opts = { ratePerSec: 0.001, burst: 20, leaseMax: 10, leaseMs: 1_000, now: () => clock.ms };
    const [a, b] = [new TokenRateLimiter(ds, opts), new TokenRateLimiter(ds, opts)];
    const k = key();
    expect((await a.take(k)).ok).toBe(true); // a leases 10, spends 1
    expect((await b.take(k)).ok).toBe(true); // b leases the other 10
    expect((await b.take(k)).ok).toBe(true);
    clock.ms += 1_500;
    // a's 9 leftover tokens have lapsed: the bucket is empty, so a asks the database and is refused.
    expect((await a.take(k)).ok).toBe(false);
  });

  it('refuses nonsense settings', () => {
    expect(() => new TokenRateLimiter(ds, { ratePerSec: 0, burst: 1 })).toThrow(/ratePerSec/);
    expect(() => new TokenRateLimiter(ds, { ratePerSec: 1, burst: 0.5 })).toThrow(/burst/);
  });

  describe('two control-plane processes on one database', () => {
    let vhost: TestResource;
    let cps: ControlPlane[] = [];
    const operator = `op-${randomBytes(8).toString('hex')}`;

    beforeAll(async () => {
      vhost = await createTestVhost();
      const env = loadControlPlaneEnv({
        HUB_DATABASE_URL: db.url, HUB_AMQP_URL: vhost.url, HUB_MASTER_KEYS: `k1:${randomBytes(32).toString('base64')}`,
        HUB_OPERATOR_TOKENS: operator, HUB_CONTROL_PLANE_PORT: '0',
        // One token per 10 s after a burst of 4: the test's requests see no refill worth a token.
        HUB_GRAPHQL_RATE_PER_SEC: '0.1', HUB_GRAPHQL_RATE_BURST: '4',
      });
      cps = [await startControlPlane(env), await startControlPlane(env)];
    });
    afterAll(async () => {
      for (const cp of cps) await cp.close();
      await vhost?.drop();
    });

    it('spend one bucket per token: the burst is shared, not granted again by each process', async () => {
      const t = await gqlOk(cps[0]!.url, operator, `mutation { createTenant(input: { name: "Shared" }) { apiToken { token } } }`);
      const token = t.createTenant.apiToken.token as string;
      const statuses: { cp: number; status: number }[] = [];
      for (let i = 0; i < 8; i++) {
        const cp = i % 2;
        const res = await fetch(cps[cp]!.url, {
          method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
          body: JSON.stringify({ query: '{ viewer { tenant { name } } }' }),
        });
        statuses.push({ cp, status: res.status });
      }
      expect(statuses.filter((s) => s.status === 200)).toHaveLength(4);
      expect(statuses.slice(4).map((s) => s.status)).toEqual([429, 429, 429, 429]);
      // Each process refused requests although it had itself let through only 2 of its own.
      expect(new Set(statuses.filter((s) => s.status === 429).map((s) => s.cp))).toEqual(new Set([0, 1]));
    });
  });
});
