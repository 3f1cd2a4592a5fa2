// startBlueConic: the BlueConic REST v2 emulator.
import { startEmulator } from '../emulator/emulator.server';
import { TokenIssuer } from './blueconic.auth';
import { blueConicError, blueConicErrorBody } from './blueconic.errors';
import { BASE_PATH, blueConicRoutes } from './blueconic.routes';
import { ALL_VISITORS_SEGMENT_ID, BlueConicStore } from './blueconic.store';
import { BlueConicHandle, BlueConicOptions, BlueConicProfileInput, DEFAULT_BLUECONIC_CLIENT } from './blueconic.types';

const DEFAULT_TTL_SEC = 3600;

export async function startBlueConic(opts: BlueConicOptions = {}): Promise<BlueConicHandle> {
  const clock = opts.clock ?? Date.now;
  const store = new BlueConicStore(clock);
  const tokens = new TokenIssuer(opts.clients ?? [DEFAULT_BLUECONIC_CLIENT], opts.accessTokenTtlSec ?? DEFAULT_TTL_SEC, clock);

  const upsertProfile = (input: BlueConicProfileInput) => {
    const existing = input.id !== undefined ? store.get(input.id) : undefined;
    if (!existing) return store.create(input);
    store.writeProperties(existing.id, { ...existing.properties, ...input.properties });
    return store.get(existing.id)!;
  };
  const seed = () => {
    store.clear();
    for (const profile of opts.profiles ?? []) upsertProfile(profile);
  };
  seed();

  const handle = await startEmulator(
    {
      basePath: BASE_PATH,
      routes: blueConicRoutes({ store, indexedProperties: opts.indexedProperties, token: (req) => tokens.token(req) }),
      authenticate: (req) => tokens.authenticate(req),
      unmatched: (_req, kind) =>
        kind === 'wrong-method' ? blueConicError(405, 'Method not allowed.') : blueConicError(404, 'Not found.'),
      malformedBody: (_req, message) => blueConicError(400, 'One or more required parameters are missing or invalid.', message),
      errorBody: (status, message) => blueConicErrorBody(status, message),
      state: () => ({
        profiles: store.all(),
        segments: store.segments.map((s) => ({ id: s.id, name: s.name, profileCount: store.size })),
        tokensIssued: tokens.issuedCount,
        activeTokens: tokens.activeCount(),
      }),
      reset: () => {
        tokens.reset();
        seed();
      },
    },
    { port: opts.port, host: opts.host },
  );

  return {
    ...handle,
    upsertProfile,
    getProfile: (id) => store.get(id),
    tokensIssued: () => tokens.issuedCount,
    refreshesGranted: () => tokens.refreshCount,
    grantAuthorizationCode: (clientId: string, accessTtlSec?: number) => tokens.grantAuthorizationCode(clientId, accessTtlSec),
    allVisitorsSegmentId: ALL_VISITORS_SEGMENT_ID,
  };
}
