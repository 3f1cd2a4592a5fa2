import type { EmulatorHandle } from '../emulator/emulator.types';

/** A stored profile; property values are always arrays of strings, as the API returns them. */
export interface BlueConicProfile {
  id: string;
  creationDate: string;
  lastModifiedDate: string;
  properties: Record<string, string[]>;
}

export interface BlueConicProfileInput {
  id?: string;
  creationDate?: string;
  properties: Record<string, string[]>;
}

export interface BlueConicClient {
  clientId: string;
  clientSecret: string;
}

export interface BlueConicOptions {
  port?: number;
  host?: string;
  /** OAuth 2 clients allowed to use client credentials; default one client datahub / datahub-secret. */
  clients?: BlueConicClient[];
  /** Lifetime of issued access tokens; default 3600 s as in the vendor's example. */
  accessTokenTtlSec?: number;
  profiles?: BlueConicProfileInput[];
  /**
   * Properties that GET /profiles may search; others answer 501 as the vendor documents.
   * Default: every property is searchable (lenient).
   */
  indexedProperties?: string[];
  /** Milliseconds since the epoch; injectable so tests can expire tokens. */
  clock?: () => number;
}

export interface BlueConicHandle extends EmulatorHandle {
  /** Creates or updates a profile (given properties replace stored ones); returns the stored copy. */
  upsertProfile(profile: BlueConicProfileInput): BlueConicProfile;
  getProfile(id: string): BlueConicProfile | undefined;
  tokensIssued(): number;
  /** refresh_token grants answered (each rotates the refresh token). */
  refreshesGranted(): number;
  /** Tokens as a completed authorization-code handshake would hand them to `clientId`. */
  grantAuthorizationCode(clientId: string, accessTtlSec?: number): { accessToken: string; refreshToken: string; expiresIn: number };
  /** Id of the built-in "All Visitors" segment. */
  allVisitorsSegmentId: string;
}

export const DEFAULT_BLUECONIC_CLIENT: BlueConicClient = { clientId: 'datahub', clientSecret: 'datahub-secret' };
