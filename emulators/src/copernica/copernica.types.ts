import type { RegisteredWebhook, WebhookCall } from '../emulator/webhook.registry';
import type { EmulatorHandle } from '../emulator/emulator.types';
import type { OAuth1Credentials } from '../oauth1/oauth1.verify';

export interface CopernicaDatabaseConfig {
  id: number;
  name: string;
  fields: string[];
  interests?: string[];
}

export interface CopernicaOptions {
  port?: number;
  host?: string;
  /** Tokens accepted in the `access_token` query parameter; default ['datahub-token']. */
  accessTokens?: string[];
  /** Consumers for the OAuth 1.0a extension (scenario 3); none by default. */
  oauth1?: OAuth1Credentials[];
  /** Allowed OAuth 1.0a clock skew; default 300 s. */
  oauth1ToleranceSec?: number;
  /** Default: one database, id 1, named "datahub", fields email/firstname/lastname. */
  databases?: CopernicaDatabaseConfig[];
  /** Milliseconds since the epoch; injectable for OAuth 1.0a timestamp tests. */
  clock?: () => number;
}

/** A profile exactly as GET /v3/profile/{id} returns it: ids and values are strings. */
export interface CopernicaProfile {
  ID: string;
  fields: Record<string, string>;
  interests: string[];
  database: string;
  secret: string;
  created: string;
  modified: string;
  removed: false | string;
}

export interface CopernicaHandle extends EmulatorHandle {
  /** Profiles (not removed), optionally of one database, in id order. */
  profiles(databaseId?: number): CopernicaProfile[];
  /** Seeds a profile without going through HTTP. */
  createProfile(databaseId: number, data: { fields?: Record<string, string>; interests?: string[] }): CopernicaProfile;
  /** Changes a profile as a user in Copernica would: webhooks with trigger "update" are called. */
  changeProfile(id: string | number, fields: Record<string, string>): CopernicaProfile;
  /** Webhooks registered through POST /v3/webhooks. */
  webhooks(): RegisteredWebhook[];
  webhookCalls(): WebhookCall[];
}

export const DEFAULT_COPERNICA_TOKEN = 'datahub-token';
export const DEFAULT_COPERNICA_DATABASE: CopernicaDatabaseConfig = { id: 1, name: 'datahub', fields: ['email', 'firstname', 'lastname'] };
