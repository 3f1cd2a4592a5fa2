import type { FaultRule } from '@datahub/emulators';
import { startBlueConic, startCopernica } from '@datahub/emulators';
import { emailOf, nowMs, ReceiptLog } from './receipt.log';

/** The source (BlueConic) and target (Copernica) a load runs against, with the target's receipts. */
export interface LoadTargets {
  kind: 'stand-in' | 'emulators';
  blueconicUrl: string;
  copernicaUrl: string;
  /** Successful writes the target received, by e-mail. */
  receipts: ReceiptLog;
  /** Makes the source know these profile ids before events name them. */
  seedProfiles(ids: Iterable<string>): void;
  /** Fault rules on the target (the emulators' rule shape). */
  faults: { add(rule: FaultRule): void; clear(): void };
  close(): Promise<void>;
}

export const LOAD_ACCOUNTS = {
  blueconicClient: { clientId: 'load-client', clientSecret: 'load-client-secret' },
  copernicaToken: 'load-copernica-token',
  copernicaOAuth1: { consumerKey: 'load-consumer', consumerSecret: 'c-secret', token: 'load-token', tokenSecret: 't-secret' },
  copernicaDatabaseId: '1',
};

const WRITE = /^\/v3\/(database\/[^/]+\/profiles|profile\/\d+)$/;

/**
 * The BlueConic and Copernica emulators in this process. Their recorded requests carry no time, so
 * a 5 ms poll stamps each successful write (201 create, 204 update) when it first sees it.
 */
export async function startEmulatorTargets(): Promise<LoadTargets> {
  const [blueconic, copernica] = await Promise.all([
    startBlueConic({ clients: [LOAD_ACCOUNTS.blueconicClient] }),
    startCopernica({
      accessTokens: [LOAD_ACCOUNTS.copernicaToken], oauth1: [LOAD_ACCOUNTS.copernicaOAuth1],
      databases: [{ id: 1, name: 'newsletter', fields: ['email', 'firstname', 'lastname'] }],
    }),
  ]);
  const receipts = new ReceiptLog();
  let seen = 0;
  const poll = setInterval(() => {
    const at = nowMs();
    const all = copernica.requests;
    for (; seen < all.length; seen++) {
      const r = all[seen]!;
      if (!((r.method === 'POST' && r.status === 201) || (r.method === 'PUT' && (r.status === 204 || r.status === 201))) || !WRITE.test(r.path)) continue;
      const email = (r.body as { fields?: { email?: unknown } } | undefined)?.fields?.email;
      if (typeof email === 'string') receipts.record(email, at);
    }
  }, 5);
  return {
    kind: 'emulators',
    blueconicUrl: blueconic.url,
    copernicaUrl: copernica.url,
    receipts,
    seedProfiles: (ids) => {
      for (const id of ids) blueconic.upsertProfile({ id, properties: { email: [emailOf(id)], firstname: ['Load'], interests: ['news', 'sports'] } });
    },
    faults: copernica.faults,
    close: async () => {
      clearInterval(poll);
      await Promise.all([blueconic.close(), copernica.close()]);
    },
  };
}
