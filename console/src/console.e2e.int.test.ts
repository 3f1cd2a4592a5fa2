import { startTracing, type Tracing } from '@datahub/connectors';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Browser, Page } from 'playwright-core';
import { eventually, gqlOk } from '../../deploy/src/demo/graphql.client';
import { createTenant } from '../../deploy/src/demo/scenarios';
import { COPERNICA_DB, startTestStack, type TestStack } from '../../deploy/src/e2e/test.stack';
import { buildConsoleIfStale, launchChromium, shot } from './e2e/browser';

const JANE = { id: 'bc-jane', properties: { email: ['jane@example.com'], firstname: ['Jane'], interests: ['football', 'tennis'] } };
const SAMPLE = { id: 'bc-jane', properties: [{ id: 'email', values: ['jane@example.com'] }, { id: 'firstname', values: ['Jane'] }, { id: 'interests', values: ['football', 'tennis'] }] };

/** Spans go somewhere (as to Jaeger's OTLP port), so deliveries carry trace ids. */
async function otlpSink(): Promise<{ url: string; close(): Promise<void> }> {
  const server: Server = createServer((req, res) => { req.resume(); req.on('end', () => res.writeHead(200).end('{}')); });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1/traces`, close: () => new Promise((r) => server.close(() => r())) };
}

/** Clicks `refresh` until `probe` appears (lists do not poll by themselves). */
async function refreshUntil(page: Page, refresh: string, probe: () => Promise<boolean>, timeoutMs = 20_000) {
  await eventually(async () => {
    if (await probe()) return true;
    await page.getByRole('button', { name: refresh, exact: true }).click();
    await page.waitForTimeout(300);
    return false;
  }, timeoutMs, 50);
}

describe('the console in a browser: scenario 1 from sign-in to a replayed dead letter', () => {
  let stack: TestStack;
  let browser: Browser;
  let page: Page;
  let sink: Awaited<ReturnType<typeof otlpSink>>;
  let sdk: Tracing;
  let token: string;
  let inboundUrl: string;
  const byEmail = (email: string) => stack.copernica.profiles(COPERNICA_DB.id).find((p) => p.fields.email === email);

  beforeAll(async () => {
    buildConsoleIfStale();
    sink = await otlpSink();
    sdk = startTracing('datahub-console-test', { url: sink.url });
    [stack, browser] = await Promise.all([startTestStack({ retryScheduleMs: [200, 400] }), launchChromium()]);
    token = (await createTenant(stack.graphqlUrl, stack.operatorToken, 'Console Club')).token;
    stack.blueconic.upsertProfile(JANE);
    page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    page.setDefaultTimeout(10_000);
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
    await stack?.stop();
    await sdk?.shutdown();
    await sink?.close();
  });

  it('signs in with a token kept out of the URL, and shows the API error code of a bad one', async () => {
    await page.goto(`${stack.gatewayUrl}/admin/`);
    await page.getByLabel('API token').fill('dh_not-a-real-token');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('alert').getByText('UNAUTHENTICATED').waitFor();
    await shot(page, '01-sign-in');
    await page.getByLabel('API token').fill(token);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { name: 'Projects of Console Club' }).waitFor();
    expect(page.url()).not.toContain(token);
    expect(await page.evaluate(() => Object.values(sessionStorage))).toContain(token);
    await shot(page, '02-projects');
  });

  it('creates the BlueConic and Copernica credentials, tests one, and never shows a secret again', async () => {
    await page.getByRole('link', { name: 'Credentials' }).click();
    await page.getByText('No credentials yet').waitFor();
    await page.getByLabel('Kind').selectOption('OAUTH2_CLIENT_CREDENTIALS');
    await page.getByLabel('Name', { exact: true }).fill('BlueConic API');
    await page.getByLabel('Client id').fill(stack.accounts.blueconicClient.clientId);
    await page.getByLabel('Client secret').fill(stack.accounts.blueconicClient.clientSecret);
    await page.getByRole('button', { name: 'Store credential' }).click();
    await page.getByRole('cell', { name: /^BlueConic API/ }).waitFor();
    await page.getByLabel('Kind').selectOption('API_KEY');
    await page.getByLabel('Name', { exact: true }).fill('Copernica token');
    await page.getByLabel('Key', { exact: true }).fill(stack.accounts.copernicaToken);
    await page.getByRole('button', { name: 'Store credential' }).click();
    await page.getByRole('row', { name: /Copernica token/ }).getByRole('button', { name: 'Test' }).click();
    await page.getByLabel('Connector', { exact: true }).selectOption('copernica');
    await page.getByLabel('Account base URL').fill(stack.accounts.copernicaUrl);
    await page.getByLabel('databaseId').fill(String(COPERNICA_DB.id));
    await page.getByRole('button', { name: 'Run test call' }).click();
    await page.getByText(/Test passed/).waitFor();
    await page.getByRole('button', { name: 'Close' }).click();
    await page.getByRole('row', { name: /Copernica token/ }).getByRole('button', { name: 'Rotate' }).click();
    await page.getByRole('region', { name: 'Rotate Copernica token' }).getByLabel('Key', { exact: true }).fill(stack.accounts.copernicaToken);
    await page.getByRole('button', { name: 'Replace the secret' }).click();
    await page.getByRole('row', { name: /Copernica token/ }).getByText(/rotated/).waitFor();
    const html = await page.content();
    expect(html).not.toContain(stack.accounts.blueconicClient.clientSecret);
    expect(html).not.toContain(stack.accounts.copernicaToken);
    await shot(page, '03-credentials');
  });

  it('builds scenario 1 with the mapping editor, previewing what Copernica will receive', async () => {
    await page.getByRole('link', { name: 'Syncs' }).click();
    await page.getByRole('link', { name: 'New sync' }).first().click();
    await page.getByLabel('Sync name').fill('BlueConic → Copernica: interests');
    await page.getByLabel('Source connector').selectOption('blueconic');
    await page.getByLabel('Source credential').selectOption({ index: 1 });
    await page.getByLabel('Source account base URL').fill(stack.accounts.blueconicUrl);
    await page.getByLabel('Target connector').selectOption('copernica');
    await page.getByLabel('Target operation').selectOption('upsertProfile');
    await page.getByLabel('Target credential').selectOption({ index: 1 });
    await page.getByLabel('Target account base URL').fill(stack.accounts.copernicaUrl);
    await page.getByLabel('Target databaseId').fill(String(COPERNICA_DB.id));
    await page.getByTestId('compat-report').getByText('compatible', { exact: true }).waitFor();
    await page.getByLabel(/Sample record/).fill(JSON.stringify(SAMPLE, null, 2));
    const picks: [string, string, string][] = [
      ['fields', 'email', 'record.properties[id = "email"].values[0]'],
      ['fields', 'firstname', 'record.properties[id = "firstname"].values[0]'],
      ['interests', '', 'record.properties[id = "interests"].values'],
    ];
    for (const [i, [target, key, source]] of picks.entries()) {
      await page.getByRole('button', { name: 'Add field' }).click();
      await page.getByLabel(`Target field ${i + 1}`).selectOption(target);
      if (key) await page.getByLabel(`Key in fields ${i + 1}`).fill(key);
      await page.getByLabel(`Source of field ${i + 1}`).selectOption(source);
    }
    const preview = page.getByTestId('preview-output');
    await eventually(async () => (await preview.count()) > 0 && JSON.parse(await preview.innerText()).interests?.length === 2, 10_000, 200);
    expect(JSON.parse(await preview.innerText())).toEqual({ fields: { email: 'jane@example.com', firstname: 'Jane' }, interests: ['football', 'tennis'] });
    await shot(page, '04-mapping-editor');
    await page.getByRole('button', { name: 'Create sync' }).click();
    await page.getByRole('heading', { name: 'BlueConic → Copernica: interests' }).waitFor();
  });

  it('runs a sandbox on v1 with each step\'s output, keeps it as a test case, and activation checks it', async () => {
    await page.getByRole('link', { name: 'Test (sandbox)' }).click();
    await page.getByLabel('Record id at the source').fill(JANE.id);
    await page.getByRole('button', { name: 'Run sandbox' }).click();
    const run = page.getByTestId('sandbox-run').first();
    await run.getByText('PASSED').waitFor();
    expect(JSON.parse(await run.getByTestId('step-fetch').innerText())).toMatchObject({ id: JANE.id });
    expect(JSON.parse(await run.getByTestId('step-transform').innerText())).toEqual({ fields: { email: 'jane@example.com', firstname: 'Jane' }, interests: ['football', 'tennis'] });
    expect(byEmail('jane@example.com')).toBeUndefined(); // a dry run sends nothing
    await run.getByLabel('Keep as a test case named').fill('Jane with two interests');
    await run.getByRole('button', { name: 'Save test case' }).click();
    await page.getByRole('cell', { name: 'Jane with two interests' }).waitFor();
    await shot(page, '05-sandbox');
    await page.getByRole('link', { name: 'Versions & mapping' }).click();
    await page.getByRole('button', { name: 'Activate v1' }).click();
    await page.getByTestId('live-version').getByText('live: v1').waitFor();
    await page.getByText('tests: passed').waitFor();
  });

  it('issues an inbound key, and shows the delivery of a webhook with its trace link', async () => {
    await shot(page, '05b-sync-versions');
    await page.getByRole('link', { name: 'Inbound keys' }).click();
    await page.getByRole('button', { name: 'Create inbound key' }).click();
    const url = await page.getByTestId('inbound-url').innerText();
    inboundUrl = url;
    await shot(page, '06-inbound-keys');
    stack.copernica.faults.add({ method: 'PUT', pathPattern: '^/v3/database/', status: 503, times: 1 });
    const res = await fetch(`${url}?id=${JANE.id}`);
    expect(res.status).toBe(202);
    await eventually(() => byEmail('jane@example.com'));
    expect(byEmail('jane@example.com')!.interests).toEqual(['football', 'tennis']);
    await page.getByRole('navigation', { name: 'Sync sections' }).getByRole('link', { name: 'Delivery log' }).click();
    await refreshUntil(page, 'Refresh', async () => (await page.getByTestId('deliveries').getByText('DELIVERED').count()) > 0);
    await page.getByTestId('deliveries').getByText('RETRYING').first().waitFor();
    await page.getByLabel('Record id').fill('nobody');
    await page.getByRole('button', { name: 'Search' }).click();
    await page.getByText('No event matches').waitFor();
    await page.getByLabel('Record id').fill(JANE.id);
    await page.getByRole('button', { name: 'Search' }).click();
    await page.getByTestId('deliveries').getByText(JANE.id, { exact: true }).waitFor();
    const trace = page.getByRole('link', { name: /^Open trace / });
    const traceId = (await trace.first().getAttribute('aria-label'))!.replace('Open trace ', '');
    expect(traceId).toMatch(/^[0-9a-f]{32}$/);
    expect(await trace.first().getAttribute('href')).toContain(traceId);
    await shot(page, '07-delivery-log');
  });

  it('replays a dead letter the target refused once, and the profile arrives', async () => {
    stack.blueconic.upsertProfile({ id: 'bc-olivia', properties: { email: ['olivia@example.com'], interests: ['cycling'] } });
    stack.copernica.faults.add({ method: 'PUT', pathPattern: '^/v3/database/', status: 422, times: 1 });
    // The origin platform calls the URL of a key made for it.
    const syncId = decodeURIComponent(new URL(page.url()).pathname.split('/')[3]!);
    const issued = await gqlOk(stack.graphqlUrl, token, `mutation($id: ID!) { createInboundKey(input: { syncId: $id, name: "origin" }) { url } }`, { id: syncId });
    expect((await fetch(`${issued.createInboundKey.url}?id=bc-olivia`)).status).toBe(202);
    await page.getByRole('link', { name: 'Dead letters' }).click();
    await refreshUntil(page, 'Refresh', async () => (await page.getByRole('checkbox', { name: /^Pick .* for replay$/ }).count()) > 0);
    expect(byEmail('olivia@example.com')).toBeUndefined();
    await page.getByRole('checkbox', { name: /^Pick .* for replay$/ }).check();
    await shot(page, '08-dead-letters');
    await page.getByRole('button', { name: 'Replay 1 selected' }).click();
    await page.getByText('1 replayed').waitFor();
    await eventually(() => byEmail('olivia@example.com'));
    await page.getByText(/replayed v1/).waitFor();
  });

  it('shows usage move with the deliveries', async () => {
    await page.getByRole('link', { name: 'Usage' }).click();
    await refreshUntil(page, 'Refresh', async () => Number(await page.getByTestId('usage-delivered').innerText().catch(() => '0')) >= 2, 30_000);
    expect(Number(await page.getByTestId('usage-received').innerText())).toBeGreaterThanOrEqual(2);
    await shot(page, '09-usage');
  });

  it('shows targets, the audit log and templates, and fits a phone screen', async () => {
    await page.getByRole('link', { name: 'Targets', exact: true }).click();
    await page.getByRole('cell', { name: /127\.0\.0\.1/ }).first().waitFor();
    await shot(page, '10-targets');
    await page.getByRole('link', { name: 'Audit log' }).click();
    await page.getByRole('cell', { name: 'replayDeadLetters' }).first().waitFor();
    await shot(page, '11-audit-log');
    await page.setViewportSize({ width: 390, height: 844 });
    await page.getByRole('link', { name: 'Syncs', exact: true }).click();
    await page.getByRole('link', { name: 'BlueConic → Copernica: interests' }).click();
    await page.getByRole('button', { name: /Save v1 as a template/ }).click();
    await page.getByText(/Template “.*” saved/).waitFor();
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    await shot(page, '12-sync-phone');
    await page.getByRole('link', { name: 'Templates' }).first().click();
    await page.getByRole('button', { name: 'Use this template' }).click();
    await page.getByLabel('Sync name').fill('From the template');
    await page.getByLabel(/^Source credential/).selectOption({ label: 'BlueConic API (OAUTH2_CLIENT_CREDENTIALS)' });
    await page.getByLabel('Source account base URL').fill(stack.accounts.blueconicUrl);
    await page.getByLabel(/^Target credential/).selectOption({ label: 'Copernica token (API_KEY)' });
    await page.getByLabel('Target account base URL').fill(stack.accounts.copernicaUrl);
    await shot(page, '13-templates-phone');
    await page.getByRole('button', { name: 'Create draft sync' }).click();
    await page.getByRole('heading', { name: 'From the template' }).waitFor();
    await page.getByText('not live: activate a version').waitFor();
  });

  it('adds a webhook destination and sends it a signed test webhook', async () => {
    const received: { headers: Record<string, unknown>; body: string }[] = [];
    const receiver = createServer((req, res) => {
      let body = '';
      req.on('data', (c: Buffer) => { body += c.toString('utf8'); });
      req.on('end', () => { received.push({ headers: req.headers, body }); res.writeHead(204).end(); });
    });
    await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', r));
    try {
      await page.getByRole('link', { name: 'Destinations' }).click();
      await page.getByText('No destinations yet').waitFor();
      await page.getByLabel('Name', { exact: true }).fill('Our CRM');
      await page.getByLabel('URL', { exact: true }).fill(`http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hooks`);
      await page.getByRole('button', { name: 'Create destination' }).click();
      await page.getByTestId('shown-once').waitFor();
      await page.getByRole('button', { name: 'Send test webhook' }).click();
      await page.getByText(/Test webhook accepted: 204/).waitFor();
      expect(received).toHaveLength(1);
      expect(received[0]!.headers).toHaveProperty('webhook-signature');
      await shot(page, '14-destinations');
    } finally {
      await new Promise((r) => receiver.close(r));
    }
  });

  it('shows an operator every tenant and a client\'s usage', async () => {
    const operator = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    try {
      operator.setDefaultTimeout(10_000);
      await operator.goto(`${stack.gatewayUrl}/admin/`);
      await operator.getByLabel('API token').fill(stack.operatorToken);
      await operator.getByRole('button', { name: 'Sign in' }).click();
      await operator.getByRole('link', { name: 'Tenants' }).first().click();
      await operator.getByRole('cell', { name: 'Console Club' }).waitFor();
      await operator.getByRole('link', { name: 'Usage' }).click();
      await operator.getByLabel('Of').selectOption({ label: 'Client Console Club' });
      await eventually(async () => Number(await operator.getByTestId('usage-delivered').innerText().catch(() => '0')) >= 2, 10_000, 200);
      await shot(operator, '14-operator-usage');
    } finally {
      await operator.close();
    }
  });

  it('issues an API token shown once, and archives the sync so its webhooks are refused', async () => {
    await page.setViewportSize({ width: 1280, height: 900 });
    await page.getByRole('link', { name: 'API tokens' }).click();
    await page.getByLabel('Name', { exact: true }).fill('CRM import script');
    await page.getByRole('button', { name: 'Issue token' }).click();
    const issued = await page.getByTestId('shown-once').innerText();
    expect((await gqlOk(stack.graphqlUrl, issued, '{ viewer { tenant { name } } }')).viewer.tenant.name).toBe('Console Club');
    await page.getByRole('cell', { name: 'CRM import script' }).waitFor();
    await shot(page, '15-api-tokens');
    await page.getByRole('link', { name: 'Syncs', exact: true }).click();
    await page.getByRole('link', { name: 'BlueConic → Copernica: interests' }).click();
    await page.getByRole('link', { name: 'Settings' }).click();
    await page.getByRole('button', { name: 'Archive' }).click();
    await page.getByText('archived', { exact: true }).waitFor();
    await eventually(async () => (await fetch(`${inboundUrl}?id=${JANE.id}`)).status >= 400, 5_000, 200);
    await shot(page, '16-sync-archived');
  });
});
