// startCopernica: the Copernica REST v3 emulator (plus the OAuth 1.0a extension for scenario 3).
import type { EmulatorRequest, EmulatorResponse } from '../emulator/emulator.router';
import { startEmulator } from '../emulator/emulator.server';
import { CopernicaAuth } from './copernica.auth';
import { copernicaError, copernicaErrorBody, INVALID_DATA, INVALID_METHOD, NO_DATABASE, NO_ENTITY } from './copernica.errors';
import { BASE_PATH, copernicaRoutes, notifyProfile } from './copernica.routes';
import { WebhookRegistry } from '../emulator/webhook.registry';
import { CopernicaStore } from './copernica.store';
import { CopernicaHandle, CopernicaOptions, DEFAULT_COPERNICA_DATABASE, DEFAULT_COPERNICA_TOKEN } from './copernica.types';

export async function startCopernica(opts: CopernicaOptions = {}): Promise<CopernicaHandle> {
  const clock = opts.clock ?? Date.now;
  const store = new CopernicaStore(opts.databases ?? [DEFAULT_COPERNICA_DATABASE], clock);
  const hooks = new WebhookRegistry();
  store.onChange = (p, type) => notifyProfile(hooks, store, p, type);
  const auth = new CopernicaAuth({
    accessTokens: opts.accessTokens ?? [DEFAULT_COPERNICA_TOKEN],
    consumers: opts.oauth1 ?? [],
    toleranceSec: opts.oauth1ToleranceSec,
    clock,
  });

  const handle = await startEmulator(
    {
      basePath: BASE_PATH,
      routes: copernicaRoutes(store, hooks),
      authenticate: (req) => auth.authenticate(req),
      unmatched: (req) => unmatched(store, req),
      malformedBody: () => copernicaError(INVALID_DATA),
      errorBody: (_status, message) => copernicaErrorBody(message),
      state: () => ({
        databases: store.allDatabases().map((d) => ({ id: d.id, name: d.name, fields: d.fields, interests: d.interests })),
        profiles: store.list().map((p) => store.json(p)),
      }),
      reset: () => {
        store.clear();
        hooks.clear();
        auth.reset();
      },
    },
    { port: opts.port, host: opts.host },
  );

  return {
    ...handle,
    profiles: (databaseId) => store.list(databaseId).map((p) => store.json(p)),
    createProfile: (databaseId, data) => {
      const db = store.database(databaseId);
      if (!db) throw new Error(`no Copernica database ${databaseId}`);
      return store.json(store.create(db, data.fields ?? {}, { on: data.interests ?? [], off: [] }));
    },
    changeProfile: (id, fields) => {
      const p = store.profile(String(id));
      if (!p) throw new Error(`no Copernica profile ${id}`);
      store.update(p, fields, { on: [], off: [] }, 'merge');
      return store.json(p);
    },
    webhooks: () => hooks.all().map((h) => ({ ...h })),
    webhookCalls: () => hooks.calls.map((c) => ({ ...c })),
  };
}

/**
 * What the live API says for paths it has no call for [CP-obs ApiBehaviorTest]: a missing id is
 * "element 1 is missing", an unknown entity id wins over the rest of the path, and anything
 * else (wrong case, wrong method, unknown suffix) is "Invalid method".
 */
function unmatched(store: CopernicaStore, req: EmulatorRequest): EmulatorResponse {
  if (req.path !== BASE_PATH && !req.path.startsWith(BASE_PATH + '/')) return copernicaError('Not found', 404);
  const parts = req.path.slice(BASE_PATH.length + 1).split('/');
  if (parts[0] === 'database' || parts[0] === 'profile') {
    if (parts.length < 2 || parts[1] === '') return copernicaError("Invalid request, element 1 is missing in 'directory' path");
    if (parts[0] === 'database' && !store.database(safeDecode(parts[1]))) return copernicaError(NO_DATABASE);
    if (parts[0] === 'profile' && !store.profile(parts[1])) return copernicaError(NO_ENTITY);
  }
  return copernicaError(INVALID_METHOD);
}

function safeDecode(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}
