import type { BlueConicHandle } from '@datahub/emulators';
import { gqlOk } from '../demo/graphql.client';

/** Seeds `n` BlueConic profiles p00000… with an email, a first name and interests. */
export function seedProfiles(bc: BlueConicHandle, n: number, from = 0): string[] {
  const ids: string[] = [];
  for (let i = from; i < from + n; i++) {
    const id = `p${String(i).padStart(5, '0')}`;
    bc.upsertProfile({ id, properties: { email: [`fan${i}@example.com`], firstname: [`Fan ${i}`], interests: i % 2 ? ['football', 'tennis'] : ['hockey'] } });
    ids.push(id);
  }
  return ids;
}

export const RUN_FIELDS = `id state mode startedAt endedAt traceId traceUrl pageTraceIds pageTraceUrls errors { message }
  progress { pages records total delivered unchanged filtered failed inFlight }`;

export async function startRun(graphqlUrl: string, token: string, syncId: string, mode = 'FULL') {
  return (await gqlOk(graphqlUrl, token, `mutation($id: ID!, $mode: BulkRunMode!) { startBulkRun(syncId: $id, mode: $mode) { ${RUN_FIELDS} } }`, { id: syncId, mode })).startBulkRun;
}

export async function readRun(graphqlUrl: string, token: string, runId: string) {
  return (await gqlOk(graphqlUrl, token, `query($id: ID!) { node(id: $id) { ... on BulkRun { ${RUN_FIELDS} } } }`, { id: runId })).node;
}

/** Polls the run through GraphQL until it ends (or `until` holds); returns the last view. */
export async function waitForRun(graphqlUrl: string, token: string, runId: string, timeoutMs: number, until: (run: any) => boolean = (r) => ['SUCCEEDED', 'FAILED', 'CANCELLED'].includes(r.state)) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const run = await readRun(graphqlUrl, token, runId);
    if (until(run)) return run;
    if (Date.now() > deadline) throw new Error(`run did not get there in ${timeoutMs} ms: ${JSON.stringify(run)}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

export async function waitFor<T>(what: string, fn: () => T | Promise<T>, timeoutMs: number): Promise<NonNullable<T>> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn();
    if (v) return v as NonNullable<T>;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}
