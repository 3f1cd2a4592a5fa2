import { eventually, gqlOk } from '../demo/graphql.client';
import { createTenant, setupScenario1 } from '../demo/scenarios';
import { COPERNICA_DB, startTestStack, type TestStack } from './test.stack';

/**
 * Central trigger setup for an origin without a webhooks API (BlueConic): the sync shows the exact
 * settings to paste, and a request made exactly as BlueConic would make it from them works.
 */
describe('trigger setup for BlueConic (no webhooks API)', () => {
  let stack: TestStack;
  beforeAll(async () => {
    stack = await startTestStack();
  });
  afterAll(() => stack?.stop());

  it("shows method, URL with BlueConic's {{id}}, header and the properties to watch, and they work as pasted", async () => {
    const t = await createTenant(stack.graphqlUrl, stack.operatorToken, 'Trigger');
    const sync = await setupScenario1(stack.graphqlUrl, t.token, t.projectId, stack.accounts);
    const { sync: view } = await gqlOk(stack.graphqlUrl, t.token, `query($id: ID!) { sync(id: $id) {
      triggerSetup { connector method url headers { name value } watchedProperties instructions docs } } }`, { id: sync.syncId });
    const setup = view.triggerSetup;
    expect(setup).toMatchObject({ connector: 'blueconic', method: 'GET', url: `${stack.env.HUB_PUBLIC_URL}/hooks?id={{id}}` });
    expect(setup.headers).toEqual([{ name: 'Api-Key', value: expect.stringContaining('inbound key') }]);
    // scenario 1's mapping reads email, firstname and interests.
    expect(setup.watchedProperties).toEqual(['email', 'firstname', 'interests']);
    expect(setup.instructions).toMatch(/Webhook connection/);

    // What BlueConic sends once configured: its Mustache filled with the profile id, the key in the header.
    stack.blueconic.upsertProfile({ id: 'bc-pasted', properties: { email: ['pasted@example.com'], firstname: ['Pat'], interests: ['golf'] } });
    const res = await fetch(setup.url.replace('{{id}}', 'bc-pasted'), { method: setup.method, headers: { [setup.headers[0].name]: sync.inboundKey } });
    expect(res.status).toBe(202);
    const [p] = await eventually(() => {
      const found = stack.copernica.profiles(COPERNICA_DB.id).filter((x) => x.fields.email === 'pasted@example.com');
      return found.length > 0 && found;
    });
    expect(p!.interests).toEqual(['golf']);
  });
});
