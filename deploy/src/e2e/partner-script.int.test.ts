import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { eventually } from '../demo/graphql.client';
import { createTenant } from '../demo/scenarios';
import { COPERNICA_DB, startTestStack, type TestStack } from './test.stack';

const DOC = join(__dirname, '..', '..', '..', 'docs', 'graphql.md');

/** The one ```js block of docs/graphql.md: the script a partner copies. */
function scriptFromDoc(): string {
  const blocks = [...readFileSync(DOC, 'utf8').matchAll(/```js\n([\s\S]*?)```/g)].map((m) => m[1]!);
  expect(blocks).toHaveLength(1);
  return blocks[0]!;
}

describe('docs/graphql.md', () => {
  let stack: TestStack;
  const dir = mkdtempSync(join(tmpdir(), 'datahub-doc-'));
  afterAll(async () => {
    rmSync(dir, { recursive: true, force: true });
    await stack?.stop();
  });

  it('its setup script, run as written, gives an active sync that BlueConic can call, and can safely run twice', async () => {
    stack = await startTestStack();
    const { token } = await createTenant(stack.graphqlUrl, stack.operatorToken, 'Partner Club');
    const file = join(dir, 'setup.mjs');
    writeFileSync(file, scriptFromDoc());
    const env = {
      ...process.env, NODE_OPTIONS: '', HUB_GRAPHQL_URL: stack.graphqlUrl, HUB_TOKEN: token,
      BLUECONIC_URL: stack.blueconic.url, BLUECONIC_CLIENT_ID: stack.accounts.blueconicClient.clientId, BLUECONIC_CLIENT_SECRET: stack.accounts.blueconicClient.clientSecret,
      COPERNICA_URL: stack.copernica.url, COPERNICA_TOKEN: stack.accounts.copernicaToken, COPERNICA_DATABASE: String(COPERNICA_DB.id),
    };
    // Asynchronous: the hub answering the script runs in this very process.
    const run = () => new Promise<{ syncId: string; webhook: string }>((resolve, reject) => {
      const child = spawn(process.execPath, [file], { env });
      let out = '';
      let err = '';
      child.stdout.on('data', (c) => (out += c));
      child.stderr.on('data', (c) => (err += c));
      child.on('error', reject);
      child.on('close', (code) => {
        if (code !== 0 || err) return reject(new Error(`the script exited with ${code}: ${err}`));
        resolve(JSON.parse(out.trim().split('\n').at(-1)!));
      });
    });
    const first = await run();
    expect(first.webhook).toMatch(new RegExp(`^${stack.gatewayUrl}/hooks/dhk_\\w+\\?id=\\{\\{id\\}\\}$`));
    expect(await run()).toEqual(first); // idempotency keys: a second run creates nothing new

    stack.blueconic.upsertProfile({ id: 'doc-1', properties: { email: ['doc@example.com'], interests: ['rowing'] } });
    expect((await fetch(first.webhook.replace('{{id}}', 'doc-1'))).status).toBe(202);
    const profile = await eventually(() => stack.copernica.profiles(COPERNICA_DB.id).find((p) => p.fields.email === 'doc@example.com'));
    expect(profile.interests).toEqual(['rowing']);
  });
});
