// startActiveCampaign: the ActiveCampaign API v3 emulator (Api-Token header, 5 requests/s per account).
import type { EmulatorRequest, EmulatorResponse } from '../emulator/emulator.router';
import { startEmulator } from '../emulator/emulator.server';
import { acMessage } from './activecampaign.errors';
import { AccountRateLimit } from './activecampaign.limit';
import { activeCampaignRoutes, BASE_PATH, notifyContact } from './activecampaign.routes';
import { WebhookRegistry } from '../emulator/webhook.registry';
import { ActiveCampaignStore } from './activecampaign.store';
import { ActiveCampaignHandle, ActiveCampaignOptions, DEFAULT_AC_FIELDS, DEFAULT_AC_TOKEN } from './activecampaign.types';

export const DEFAULT_AC_RATE_LIMIT_PER_SEC = 5;

export async function startActiveCampaign(opts: ActiveCampaignOptions = {}): Promise<ActiveCampaignHandle> {
  const clock = opts.clock ?? Date.now;
  const store = new ActiveCampaignStore(clock);
  const tokens = new Set(opts.apiTokens ?? [DEFAULT_AC_TOKEN]);
  const limit = new AccountRateLimit(opts.rateLimitPerSec ?? DEFAULT_AC_RATE_LIMIT_PER_SEC, clock);
  const hooks = new WebhookRegistry();
  const seed = () => {
    store.clear();
    hooks.clear();
    for (const f of opts.fields ?? DEFAULT_AC_FIELDS ?? []) store.addField(f);
    for (const l of opts.lists ?? []) store.addList(l.name, l.stringid);
  };
  seed();

  const authenticate = (req: EmulatorRequest): EmulatorResponse | undefined => {
    const header = req.headers['api-token'];
    const key = Array.isArray(header) ? header[0] : header;
    if (key !== undefined) req.authKind = 'api_token';
    // The status for a bad key is undocumented; 403 with a message is this emulator's reading.
    if (!key || !tokens.has(key)) return acMessage(403, 'You are not authorized to access this resource');
    const retryAfterSec = limit.take();
    if (retryAfterSec === 0) return undefined;
    return {
      status: 429,
      headers: { 'retry-after': String(retryAfterSec), 'ratelimit-limit': String(limit.limit), 'ratelimit-remaining': '0' },
      body: { message: 'Too Many Requests' },
    };
  };

  const handle = await startEmulator(
    {
      basePath: BASE_PATH,
      routes: activeCampaignRoutes(store, hooks),
      authenticate,
      unmatched: (_req, kind) => (kind === 'wrong-method' ? acMessage(405, 'Method Not Allowed') : acMessage(404, 'Not Found')),
      malformedBody: () => ({ status: 400, body: {} }),
      errorBody: (_status, message) => ({ message }),
      state: () => ({ contacts: store.all(), webhooks: hooks.all(), fields: store.fields, lists: store.lists, rateLimitPerSec: limit.limit, rateLimited: limit.refused }),
      reset: () => {
        seed();
        limit.reset();
      },
    },
    { port: opts.port, host: opts.host },
  );

  return {
    ...handle,
    contacts: () => store.all(),
    contactByEmail: (email) => store.findByEmail(email),
    patchContact: (email, patch) => {
      const c = store.findByEmail(email);
      if (!c) throw new Error(`no ActiveCampaign contact ${email}`);
      return store.update(c.id, patch);
    },
    changeContact: (email, patch) => {
      const c = store.findByEmail(email);
      if (!c) throw new Error(`no ActiveCampaign contact ${email}`);
      const updated = store.update(c.id, patch);
      notifyContact(hooks, 'update', updated, clock);
      return updated;
    },
    webhooks: () => hooks.all().map((h) => ({ ...h })),
    webhookCalls: () => hooks.calls.map((c) => ({ ...c })),
    fields: () => store.fields.map((f) => ({ ...f })),
    setRateLimit: (perSec) => limit.set(perSec),
    rateLimited: () => limit.refused,
  };
}
