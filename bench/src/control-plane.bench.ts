/**
 * npm run bench:control-plane — one page of a big tenant's sync list, as an admin frontend asks for it:
 * `syncs(first: 50, after: …)` with every sync's versions, their source and target endpoints and each
 * endpoint's credential, out of BENCH_SYNCS (default 10,000) syncs in one tenant.
 *
 * The control plane runs in this process so that every SQL statement it sends can be counted exactly
 * (a wrapper around the pg driver's `Client.prototype.query`, the one TypeORM loaded). RabbitMQ is not
 * started: the control plane connects to it lazily, only to announce changes, and nothing here does.
 *
 * Prints the seeding time, then p50/p95/p99 latency and statements per request for BENCH_REQUESTS
 * (default 300) sequential requests over random pages after a warm-up, and req/s with
 * BENCH_CONCURRENCY (default 8) requests in flight. Goal: p95 < 30 ms and ≤ 4 statements per page.
 */
import 'reflect-metadata';
import { randomBytes } from 'node:crypto';
import { cpus } from 'node:os';
import { performance } from 'node:perf_hooks';
import { loadControlPlaneEnv, startControlPlane, type ControlPlane } from '@datahub/control-plane';
import { createDatabaseAt, createTenant, freePort, percentile, startPostgres, type LocalPostgres } from '@datahub/deploy';
import { benchEnv } from './env';

const SYNCS = benchEnv.BENCH_SYNCS;
const REQUESTS = benchEnv.BENCH_REQUESTS;
const CONCURRENCY = benchEnv.BENCH_CONCURRENCY;
const PAGE = 50;
const GOAL = { p95Ms: 30, statements: 4 };
const BOUND_SEC = 300;

const CREDENTIAL = 'credential { id name kind status fingerprint }';
const ENDPOINT = `connector operation baseUrl ${CREDENTIAL}`;
/** What a frontend's sync list sends for one page (within the complexity limit of 25,000, which prices `versions` at 20 each). */
export const PAGE_QUERY = `query SyncPage($after: String) {
  syncs(first: ${PAGE}, after: $after) {
    pageInfo { hasNextPage endCursor }
    edges { node { id name activeVersion createdAt updatedAt
      versions { id version state source { ${ENDPOINT} } target { ${ENDPOINT} } } } }
  }
}`;
/** The same page with the total for "1–50 of 10,000". */
const PAGE_WITH_TOTAL_QUERY = PAGE_QUERY.replace('pageInfo {', 'totalCount pageInfo {');

/** Counts every statement the control plane's pg driver sends while `on`. */
class StatementCounter {
  on = false;
  count = 0;
  /** Wall time from sending each statement until its result, summed (overlapping statements count twice). */
  sqlMs = 0;
  texts: string[] = [];
  params: unknown[][] = [];
  install(cp: ControlPlane): void {
    const pg = (cp.ds.driver as unknown as { postgres: { Client: { prototype: { query: (...a: unknown[]) => unknown } } } }).postgres;
    const original = pg.Client.prototype.query;
    const self = this;
    pg.Client.prototype.query = function (this: unknown, ...args: unknown[]) {
      if (self.on) {
        self.count++;
        const q = args[0];
        self.texts.push(typeof q === 'string' ? q : String((q as { text?: string })?.text ?? q));
        self.params.push((Array.isArray(args[1]) ? args[1] : []) as unknown[]);
        const t0 = performance.now();
        const result = original.apply(this, args) as Promise<unknown> | undefined;
        if (typeof result?.then === 'function') void result.then(() => (self.sqlMs += performance.now() - t0), () => undefined);
        return result;
      }
      return original.apply(this, args);
    };
  }
  reset(): void {
    this.count = 0;
    this.sqlMs = 0;
    this.texts = [];
    this.params = [];
  }
}

async function gql(url: string, token: string, query: string, variables: Record<string, unknown> = {}): Promise<any> {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify({ query, variables }),
  });
  const body = (await res.json()) as { data?: any; errors?: unknown[] };
  if (res.status !== 200 || body.errors?.length || !body.data) throw new Error(`GraphQL ${res.status}: ${JSON.stringify(body.errors)}`);
  return body.data;
}

interface Seeded { token: string; syncs: number; credentials: number; versions: number }

/**
 * A few credentials and syncs through GraphQL (so the rows are exactly what the services write),
 * then the rest as bulk INSERTs copying the GraphQL-made version's definition with other credentials.
 * Sync plans are not written: this query does not read them.
 */
async function seed(cp: ControlPlane): Promise<Seeded> {
  const { token, projectId } = await createTenant(cp.url, 'bench-operator', 'Big Club');
  const credential = async (input: object) => (await gql(cp.url, token, `mutation($i: CreateCredentialInput!) { createCredential(input: $i) { id } }`, { i: input })).createCredential.id as string;
  const sources: string[] = [];
  const targets: string[] = [];
  for (let i = 0; i < 4; i++) {
    sources.push(await credential({ name: `BlueConic ${i}`, oauth2ClientCredentials: { clientId: `client-${i}`, clientSecret: randomBytes(16).toString('hex') } }));
    targets.push(await credential({ name: `Copernica ${i}`, apiKey: { key: randomBytes(16).toString('hex') } }));
  }
  const viaGraphql = 4;
  for (let i = 0; i < viaGraphql; i++) {
    const created = await gql(cp.url, token, `mutation($i: CreateSyncInput!) { createSync(input: $i) { id } }`, { i: {
      projectId, name: `sync ${i}`, trigger: { kind: 'NOTIFY' }, mapping: '{ "fields": { "email": record.properties[id="email"].values[0] } }',
      source: { connector: 'blueconic', operation: 'getProfile', credentialId: sources[i % 4], baseUrl: 'https://acme.blueconic.net/rest/v2' },
      target: { connector: 'copernica', operation: 'upsertProfile', credentialId: targets[i % 4], baseUrl: 'https://api.copernica.com/v3', params: { databaseId: '1' } },
    } });
    if (i % 2 === 0) await gql(cp.url, token, `mutation($id: ID!) { activateSyncVersion(syncId: $id, version: 1) { activeVersion } }`, { id: created.createSync.id });
  }
  const [template] = await cp.ds.query(
    `SELECT s.tenant_id, s.project_id, v.definition FROM syncs s JOIN sync_versions v ON v.sync_id = s.id ORDER BY s.created_at LIMIT 1`,
  );
  const creds: { id: string; name: string }[] = await cp.ds.query(`SELECT id, name FROM credentials WHERE tenant_id = $1 ORDER BY name`, [template.tenant_id]);
  const rawSources = creds.filter((c) => c.name.startsWith('BlueConic')).map((c) => c.id);
  const rawTargets = creds.filter((c) => c.name.startsWith('Copernica')).map((c) => c.id);
  // Every sync has version 1 (active for two in three), every fourth also a draft version 2;
  // source and target credentials vary, so a page references all eight.
  await cp.ds.query(`
    WITH g AS (
      SELECT i, gen_random_uuid() AS id, now() - interval '1 day' + i * interval '1 second' AS at
      FROM generate_series(1, $3::int) i
    ), s AS (
      INSERT INTO syncs (id, tenant_id, project_id, name, active_version, created_at, updated_at)
      SELECT id, $1, $2, 'bench sync ' || i, CASE WHEN i % 3 <> 0 THEN 1 END, at, at FROM g
      RETURNING id
    )
    INSERT INTO sync_versions (sync_id, tenant_id, version, state, definition, created_at, activated_at)
    SELECT g.id, $1, v, CASE WHEN v = 1 AND g.i % 3 <> 0 THEN 'active' ELSE 'draft' END,
      jsonb_set(jsonb_set($4::jsonb, '{source,credentialId}', to_jsonb(($5::text[])[1 + g.i % 4])),
        '{target,credentialId}', to_jsonb(($6::text[])[1 + (g.i / 4) % 4])),
      g.at + (v - 1) * interval '1 minute', CASE WHEN v = 1 AND g.i % 3 <> 0 THEN g.at END
    FROM g CROSS JOIN LATERAL generate_series(1, CASE WHEN g.i % 4 = 0 THEN 2 ELSE 1 END) v
    WHERE EXISTS (SELECT 1 FROM s WHERE s.id = g.id)`,
  [template.tenant_id, template.project_id, SYNCS - viaGraphql, JSON.stringify(template.definition), rawSources, rawTargets]);
  await cp.ds.query('ANALYZE');
  const [counts] = await cp.ds.query(
    `SELECT (SELECT count(*) FROM syncs)::int AS syncs, (SELECT count(*) FROM sync_versions)::int AS versions, (SELECT count(*) FROM credentials)::int AS credentials`,
  );
  return { token, ...counts };
}

/** Walks every page once (the warm-up), returning the cursors that start each page (null: the first). */
async function walk(url: string, token: string): Promise<(string | null)[]> {
  const cursors: (string | null)[] = [null];
  for (let after: string | null = null; ;) {
    const d = await gql(url, token, PAGE_QUERY, { after });
    const { hasNextPage, endCursor } = d.syncs.pageInfo;
    if (!hasNextPage) return cursors;
    cursors.push(endCursor);
    after = endCursor;
  }
}

const pick = <T>(xs: T[]): T => xs[Math.floor(Math.random() * xs.length)]!;
const ms = (n: number) => n.toFixed(1);

async function sequential(url: string, token: string, counter: StatementCounter, query: string, cursors: (string | null)[], n: number) {
  const latencies: number[] = [];
  const statements: number[] = [];
  const sqlMs: number[] = [];
  let sample: string[] = [];
  const started = performance.now();
  for (let i = 0; i < n; i++) {
    counter.reset();
    counter.on = true;
    const t0 = performance.now();
    const d = await gql(url, token, query, { after: pick(cursors) });
    latencies.push(performance.now() - t0);
    counter.on = false;
    statements.push(counter.count);
    sqlMs.push(counter.sqlMs);
    if (i === 0) sample = counter.texts;
    if (d.syncs.edges.length === 0) throw new Error('empty page');
  }
  const seconds = (performance.now() - started) / 1000;
  latencies.sort((a, b) => a - b);
  sqlMs.sort((a, b) => a - b);
  return {
    sqlP50: percentile(sqlMs, 50), sqlP95: percentile(sqlMs, 95),
    p50: percentile(latencies, 50), p95: percentile(latencies, 95), p99: percentile(latencies, 99), reqPerSec: n / seconds,
    minStatements: Math.min(...statements), maxStatements: Math.max(...statements), meanStatements: statements.reduce((a, b) => a + b, 0) / n, sample,
  };
}

/** BENCH_EXPLAIN=1: the plans of one request's statements for a page in the middle of the list. */
async function explain(cp: ControlPlane, token: string, counter: StatementCounter, cursor: string | null): Promise<void> {
  counter.reset();
  counter.on = true;
  await gql(cp.url, token, PAGE_QUERY, { after: cursor });
  counter.on = false;
  const statements = counter.texts.map((text, i) => ({ text, params: counter.params[i]! }));
  for (const { text, params } of statements.slice(1)) {
    const plan: { 'QUERY PLAN': string }[] = await cp.ds.query(`EXPLAIN (ANALYZE, BUFFERS) ${text}`, params);
    console.log(`  ${text.replace(/\s+/g, ' ').slice(0, 100)}…\n${plan.map((r) => `    ${r['QUERY PLAN']}`).join('\n')}`);
  }
}

async function concurrent(url: string, token: string, cursors: (string | null)[], n: number, inFlight: number) {
  let next = 0;
  const latencies: number[] = [];
  const started = performance.now();
  await Promise.all(Array.from({ length: inFlight }, async () => {
    while (next++ < n) {
      const t0 = performance.now();
      await gql(url, token, PAGE_QUERY, { after: pick(cursors) });
      latencies.push(performance.now() - t0);
    }
  }));
  latencies.sort((a, b) => a - b);
  return { reqPerSec: n / ((performance.now() - started) / 1000), p50: percentile(latencies, 50), p95: percentile(latencies, 95), p99: percentile(latencies, 99) };
}

async function main(): Promise<void> {
  console.log(`control-plane benchmark: ${cpus().length} cores, ${SYNCS} syncs in one tenant, pages of ${PAGE}, ${REQUESTS} requests`);
  let pg: LocalPostgres | undefined;
  let cp: ControlPlane | undefined;
  let stopping = false;
  const shutdown = async (code: number) => {
    if (stopping) return;
    stopping = true;
    await cp?.close().catch((e) => console.error(e));
    await pg?.stop().catch((e) => console.error(e));
    process.exit(code);
  };
  process.once('SIGINT', () => void shutdown(130));
  process.once('SIGTERM', () => void shutdown(143));
  setTimeout(() => {
    console.error(`benchmark exceeded ${BOUND_SEC} s; stopping`);
    void shutdown(1);
  }, BOUND_SEC * 1000).unref();
  try {
    pg = await startPostgres({ fsync: false });
    const env = loadControlPlaneEnv({
      HUB_DATABASE_URL: await createDatabaseAt(pg.url, 'bench'),
      // Never connected to: nothing in this benchmark announces a change that would need it.
      HUB_AMQP_URL: `amqp://127.0.0.1:${await freePort()}`,
      HUB_MASTER_KEYS: `b:${randomBytes(32).toString('base64')}`, HUB_OPERATOR_TOKENS: 'bench-operator',
      HUB_CONTROL_PLANE_PORT: '0', HUB_CONTROL_PLANE_HOST: '127.0.0.1',
      // One client asking as fast as it can; the per-token limit is not what is measured.
      HUB_GRAPHQL_RATE_PER_SEC: '100000', HUB_GRAPHQL_RATE_BURST: '100000',
    });
    cp = await startControlPlane(env);
    const counter = new StatementCounter();
    counter.install(cp);

    const t0 = performance.now();
    const seeded = await seed(cp);
    console.log(`seeded ${seeded.syncs} syncs, ${seeded.versions} versions, ${seeded.credentials} credentials in ${((performance.now() - t0) / 1000).toFixed(1)} s`);

    const w0 = performance.now();
    const cursors = await walk(cp.url, seeded.token);
    console.log(`warm-up: walked all ${cursors.length} pages in ${((performance.now() - w0) / 1000).toFixed(1)} s`);

    if (benchEnv.BENCH_EXPLAIN === '1') await explain(cp, seeded.token, counter, cursors[Math.floor(cursors.length / 2)]!);
    const page = await sequential(cp.url, seeded.token, counter, PAGE_QUERY, cursors, REQUESTS);
    const withTotal = await sequential(cp.url, seeded.token, counter, PAGE_WITH_TOTAL_QUERY, cursors, Math.min(REQUESTS, 100));
    const load = await concurrent(cp.url, seeded.token, cursors, REQUESTS, CONCURRENCY);

    console.log(`\none page (${REQUESTS} sequential requests over random pages):`);
    console.log(`  latency p50 ${ms(page.p50)} ms, p95 ${ms(page.p95)} ms, p99 ${ms(page.p99)} ms; ${page.reqPerSec.toFixed(0)} req/s`);
    console.log(`  SQL statements per request: ${page.minStatements}..${page.maxStatements} (mean ${page.meanStatements.toFixed(2)}); ` +
      `time waiting for them p50 ${ms(page.sqlP50)} ms, p95 ${ms(page.sqlP95)} ms`);
    console.log('  statements of the first request:');
    for (const s of page.sample) console.log(`    ${s.replace(/\s+/g, ' ').slice(0, 160)}`);
    console.log(`the same page with totalCount (${Math.min(REQUESTS, 100)} requests): p50 ${ms(withTotal.p50)} ms, p95 ${ms(withTotal.p95)} ms, ` +
      `p99 ${ms(withTotal.p99)} ms; statements ${withTotal.minStatements}..${withTotal.maxStatements}`);
    console.log(`${CONCURRENCY} in flight (${REQUESTS} requests): ${load.reqPerSec.toFixed(0)} req/s, p50 ${ms(load.p50)} ms, p95 ${ms(load.p95)} ms, p99 ${ms(load.p99)} ms`);
    const ok = page.p95 < GOAL.p95Ms && page.maxStatements <= GOAL.statements;
    console.log(`\ngoal (p95 < ${GOAL.p95Ms} ms, ≤ ${GOAL.statements} statements per page): ${ok ? 'met' : 'MISSED'}`);
    await shutdown(0);
  } catch (err) {
    console.error(err);
    await shutdown(1);
  }
}

void main();
