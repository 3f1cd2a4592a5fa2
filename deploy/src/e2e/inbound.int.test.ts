import { loadDataPlaneEnv, startIngress } from '@datahub/data-plane';
import { createHmac } from 'node:crypto';
import { eventually, gql, gqlOk } from '../demo/graphql.client';
import { createTenant, setupScenario1, type SyncSetup } from '../demo/scenarios';
import { startTestStack, type TestStack } from './test.stack';

/** Inbound keys and signatures: rotation without a lost webhook, revocation everywhere within a second. */
describe('inbound keys and signatures', () => {
  let stack: TestStack;
  let token: string;
  let sync: SyncSetup;

  beforeAll(async () => {
    stack = await startTestStack();
    const t = await createTenant(stack.graphqlUrl, stack.operatorToken, 'Inbound Club');
    token = t.token;
    sync = await setupScenario1(stack.graphqlUrl, token, t.projectId, stack.accounts);
    stack.blueconic.upsertProfile({ id: 'p1', properties: { email: ['p1@example.com'], interests: ['x'] } });
  });
  afterAll(() => stack?.stop());

  const keyId = async (s: SyncSetup) =>
    (await gqlOk(stack.graphqlUrl, token, `query($id: ID!) { sync(id: $id) { inboundKeys { edges { node { id prefix revokedAt } } } } }`, { id: s.syncId }))
      .sync.inboundKeys.edges.find((e: any) => s.inboundKey.startsWith(e.node.prefix)).node.id as string;

  it('revokes a key on every ingress process within a second', async () => {
    const other = await startIngress(loadDataPlaneEnv({ ...stack.env, HUB_INGRESS_PORT: '0' }));
    try {
      const key = (await gqlOk(stack.graphqlUrl, token, `mutation($id: ID!) { createInboundKey(input: { syncId: $id }) { key } }`, { id: sync.syncId })).createInboundKey.key;
      const urls = [`${stack.ingress.url}/hooks/${key}?id=p1`, `${other.url}/hooks/${key}?id=p1`];
      for (const u of urls) expect((await fetch(u)).status).toBe(202); // both caches now hold the key
      const id = await keyId({ ...sync, inboundKey: key });
      await gqlOk(stack.graphqlUrl, token, `mutation($id: ID!) { revokeInboundKey(id: $id) { revokedAt } }`, { id });
      const revokedAt = Date.now();
      await Promise.all(urls.map((u) => eventually(async () => (await fetch(u)).status === 401, 1_000, 20)));
      expect(Date.now() - revokedAt).toBeLessThan(1_000);
    } finally {
      await other.close();
    }
  });

  it('rotates a key: the new one works at once, the old one until the overlap ends', async () => {
    const r = await gqlOk(stack.graphqlUrl, token, `mutation($id: ID!) { rotateInboundKey(id: $id, overlapSec: 2) { key url previous { expiresAt } } }`, { id: await keyId(sync) });
    expect(r.rotateInboundKey.key).not.toBe(sync.inboundKey);
    expect(new Date(r.rotateInboundKey.previous.expiresAt).getTime()).toBeGreaterThan(Date.now());
    expect((await fetch(`${r.rotateInboundKey.url}?id=p1`)).status).toBe(202);
    expect((await fetch(`${sync.inboundUrl}?id=p1`)).status).toBe(202);
    await eventually(async () => (await fetch(`${sync.inboundUrl}?id=p1`)).status === 401, 5_000, 200);
    expect((await fetch(`${r.rotateInboundKey.url}?id=p1`)).status).toBe(202);
    sync = { ...sync, inboundKey: r.rotateInboundKey.key, inboundUrl: r.rotateInboundKey.url };
  });

  it('requires a valid signature once the sync asks for one, with old and new secrets during a rotation', async () => {
    const body = JSON.stringify({ id: 'p1' });
    const post = (sig?: string) => fetch(sync.inboundUrl, { method: 'POST', headers: { 'content-type': 'application/json', ...(sig ? { 'x-origin-signature': sig } : {}) }, body });
    const sign = (secret: string) => createHmac('sha256', secret).update(body).digest('hex');

    await gqlOk(stack.graphqlUrl, token, `mutation($id: ID!) { setInboundSignature(input: { syncId: $id, scheme: HMAC_SHA256_HEX, header: "X-Origin-Signature" }) { id } }`, { id: sync.syncId });
    const first = (await gqlOk(stack.graphqlUrl, token, `mutation($id: ID!) { addInboundSignatureSecret(input: { syncId: $id }) { secret signatureSecret { fingerprint } } }`, { id: sync.syncId })).addInboundSignatureSecret.secret;
    await eventually(async () => (await post()).status === 401, 2_000, 50);
    const unsigned = await post();
    expect(((await unsigned.json()) as any).error.code).toBe('signature_missing');
    expect((await post(sign('wrong-secret-entirely'))).status).toBe(401);
    expect((await post(sign(first))).status).toBe(202);

    const second = (await gqlOk(stack.graphqlUrl, token, `mutation($id: ID!) { addInboundSignatureSecret(input: { syncId: $id, secret: "the-new-origin-secret-0123456789", retireOthersAfterSec: 1 }) { secret } }`, { id: sync.syncId })).addInboundSignatureSecret.secret;
    await eventually(async () => (await post(sign(second))).status === 202, 2_000, 50);
    expect((await post(sign(first))).status).toBe(202); // still inside the overlap
    await eventually(async () => (await post(sign(first))).status === 401, 5_000, 200);
    expect((await post(sign(second))).status).toBe(202);

    const view = await gqlOk(stack.graphqlUrl, token, `query($id: ID!) { sync(id: $id) { inboundSignature { scheme header secrets { fingerprint } } } }`, { id: sync.syncId });
    expect(view.sync.inboundSignature).toMatchObject({ scheme: 'HMAC_SHA256_HEX', header: 'x-origin-signature' });
    expect(JSON.stringify(view)).not.toContain(second);

    await gqlOk(stack.graphqlUrl, token, `mutation($id: ID!) { disableInboundSignature(syncId: $id) { id } }`, { id: sync.syncId });
    await eventually(async () => (await post()).status === 202, 2_000, 50);
  });

  it('refuses signature settings that make no sense, naming the field', async () => {
    const r = await gql(stack.graphqlUrl, token, `mutation($id: ID!) { setInboundSignature(input: { syncId: $id, scheme: STANDARD_WEBHOOKS, toleranceSec: 5 }) { id } }`, { id: sync.syncId });
    expect(r.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.toleranceSec' });
  });
});
