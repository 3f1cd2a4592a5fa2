import type { RegisteredWebhook, WebhookCall } from '../emulator/webhook.registry';
import type { EmulatorHandle } from '../emulator/emulator.types';

/** A custom field as GET /api/3/fields shows it (ids are strings). */
export interface AcField {
  id: string;
  title: string;
  type: string;
  perstag: string;
}

export interface AcList {
  id: string;
  name: string;
  stringid: string;
}

/** A contact as GET /api/3/contacts/{id} shows it, with its custom field values by field id. */
export interface AcContact {
  id: string;
  email: string;
  firstName: string;
  lastName: string;
  phone: string;
  cdate: string;
  udate: string;
  /** field id → value */
  fieldValues: Record<string, string>;
  /** list ids the contact is subscribed to */
  lists: string[];
}

export interface ActiveCampaignOptions {
  port?: number;
  host?: string;
  /** Keys accepted in the `Api-Token` header; all belong to one account. Default ['datahub-ac-token']. */
  apiTokens?: string[];
  /** Requests per second per account before 429 + Retry-After; default 5 (AC-RL). */
  rateLimitPerSec?: number;
  /** Custom fields that exist from the start; default one text field "Interests" (id "1"). */
  fields?: Array<Omit<AcField, 'id'> & { id?: string }>;
  /** Lists that exist from the start; default none. */
  lists?: Array<{ name: string; stringid?: string }>;
  clock?: () => number;
}

export interface ActiveCampaignHandle extends EmulatorHandle {
  /** Every contact in id order. */
  contacts(): AcContact[];
  contactByEmail(email: string): AcContact | undefined;
  /** Changes a stored contact behind the API's back (tests that need drift, e.g. the accuracy audit). */
  patchContact(email: string, patch: { firstName?: string; lastName?: string; fieldValues?: Record<string, string> }): AcContact;
  /** Changes a contact as a user in AC's UI would: registered webhooks with the "update" event are called. */
  changeContact(email: string, patch: { firstName?: string; lastName?: string; fieldValues?: Record<string, string> }): AcContact;
  /** Webhooks registered through POST /api/3/webhooks. */
  webhooks(): RegisteredWebhook[];
  /** Every outgoing webhook call (url, the receiver's status or the error). */
  webhookCalls(): WebhookCall[];
  fields(): AcField[];
  /** Changes the account's limit (requests per second) while running. */
  setRateLimit(perSec: number): void;
  /** How many requests were refused with 429 by the rate limit (not by fault rules). */
  rateLimited(): number;
}

export const DEFAULT_AC_TOKEN = 'datahub-ac-token';
export const DEFAULT_AC_FIELDS: ActiveCampaignOptions['fields'] = [{ id: '1', title: 'Interests', type: 'text', perstag: 'INTERESTS' }];
