// Copernica v3 authenticates with an access_token query parameter. The OAuth 1.0a check is this
// project's extension for scenario 3 (see the README): when a request carries OAuth parameters
// they must verify, even if an access_token is present too, so a broken signer cannot hide.
import type { EmulatorRequest, EmulatorResponse } from '../emulator/emulator.router';
import { NonceCache } from '../oauth1/oauth1.nonce';
import { OAuth1Request } from '../oauth1/oauth1.base-string';
import { credentialLookup, hasOAuth1Parameters, OAuth1Credentials, verifyOAuth1Request } from '../oauth1/oauth1.verify';
import { copernicaError, INVALID_TOKEN } from './copernica.errors';

export interface CopernicaAuthOptions {
  accessTokens: string[];
  consumers: OAuth1Credentials[];
  toleranceSec?: number;
  clock: () => number;
}

export class CopernicaAuth {
  private readonly nonces = new NonceCache();
  private readonly lookup: ReturnType<typeof credentialLookup>;

  constructor(private readonly opts: CopernicaAuthOptions) {
    this.lookup = credentialLookup(opts.consumers);
  }

  reset(): void {
    this.nonces.clear();
  }

  authenticate(req: EmulatorRequest): EmulatorResponse | undefined {
    const oauthRequest: OAuth1Request = {
      method: req.method,
      // The emulator speaks plain HTTP, so the base string URI is http:// + Host + request-target.
      url: `http://${req.headers.host ?? 'localhost'}${req.target}`,
      authorization: req.headers.authorization,
      contentType: req.headers['content-type'],
      body: req.rawBody,
    };
    if (hasOAuth1Parameters(oauthRequest)) {
      req.authKind = 'oauth1';
      const result = verifyOAuth1Request(oauthRequest, {
        lookup: this.lookup,
        now: this.opts.clock,
        toleranceSec: this.opts.toleranceSec,
        nonces: this.nonces,
      });
      if (result.ok) return undefined;
      return copernicaError(`OAuth 1.0a: ${result.message}`, result.status, { reason: result.reason });
    }
    const token = req.query.get('access_token');
    if (token !== null) req.authKind = 'access_token';
    if (token === null || !this.opts.accessTokens.includes(token)) return copernicaError(INVALID_TOKEN);
    return undefined;
  }
}
