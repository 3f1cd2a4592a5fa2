import { createTenant, setupScenario1, setupScenario2, setupScenario3, type PlatformAccounts } from './scenarios';

/** The emulated platforms' accounts in the demo (throwaway values, known to both sides). */
export const DEMO_ACCOUNTS: Omit<PlatformAccounts, 'blueconicUrl' | 'copernicaUrl'> = {
  blueconicClient: { clientId: 'datahub-demo', clientSecret: 'demo-client-secret' },
  copernicaToken: 'demo-copernica-token',
  copernicaOAuth1: { consumerKey: 'demo-consumer', consumerSecret: 'demo-consumer-secret', token: 'demo-token', tokenSecret: 'demo-token-secret' },
  copernicaDatabaseId: '1',
  activecampaignToken: 'demo-activecampaign-key',
};

export const DEMO_PROFILES = [
  { id: 'demo-jane', properties: { email: ['jane@example.com'], firstname: ['Jane'], interests: ['football', 'tennis'] } },
  { id: 'demo-olivia', properties: { email: ['olivia@example.com'], firstname: ['Olivia'], interests: ['cycling'] } },
];

/** Fans already in BlueConic before any webhook existed: what scenario 2's bulk run brings across. */
export const DEMO_BULK_PROFILES = Array.from({ length: 50 }, (_, i) => ({
  id: `demo-fan-${String(i + 1).padStart(2, '0')}`,
  properties: { email: [`fan${i + 1}@example.com`], firstname: [`Fan ${i + 1}`], interests: [['football', 'tennis', 'hockey', 'cycling'][i % 4]!] },
}));

/** The demo tenant, configured through the public GraphQL API only (scenario 2 when an ActiveCampaign account is given). */
export async function seedDemo(graphqlUrl: string, operatorToken: string, accounts: PlatformAccounts) {
  const tenant = await createTenant(graphqlUrl, operatorToken, 'Demo Sports Club');
  const s1 = await setupScenario1(graphqlUrl, tenant.token, tenant.projectId, accounts);
  const s3 = await setupScenario3(graphqlUrl, tenant.token, tenant.projectId, accounts);
  const s2 = accounts.activecampaignUrl ? await setupScenario2(graphqlUrl, tenant.token, tenant.projectId, accounts, { bulk: { pageSize: 20 } }) : null;
  return {
    tenantId: tenant.tenantId,
    apiToken: tenant.token,
    syncs: [
      { scenario: 'BlueConic → Copernica: profile interests (API key)', ...s1 },
      { scenario: 'BlueConic → Copernica: OAuth 1.0a, separate create/update', ...s3 },
      ...(s2 ? [{ scenario: 'BlueConic → ActiveCampaign: every profile in bulk, then real time', ...s2 }] : []),
    ],
  };
}
