// PUT /profiles: BlueConic's bulk create/update/delete (BC-OAS createUpdateDeleteProfiles).
import { BlueConicStore } from './blueconic.store';

export const BULK_LIMIT = 1000;

const PROFILE_STRATEGIES = ['UPSERT', 'UPDATE', 'DELETE'] as const;
// SUM is the name in the docs' table, INCREMENT the one in the schema; both mean "add to the number".
const PROPERTY_STRATEGIES = ['ADD', 'SET', 'SET_IF_EMPTY', 'SUM', 'INCREMENT', 'REMOVE'] as const;
type PropertyStrategy = (typeof PROPERTY_STRATEGIES)[number];

interface PropertyRule {
  id: string;
  values: string[];
  strategy: PropertyStrategy;
}

export interface BulkEntry {
  profileId?: string;
  matching: Array<Array<{ id: string; value: string }>>;
  properties: PropertyRule[];
  strategy: (typeof PROFILE_STRATEGIES)[number];
  identifier?: string;
}

export interface BulkResult {
  state: 'CREATED' | 'MODIFIED' | 'UNCHANGED' | 'DELETED' | 'NOTFOUND';
  profileId?: string;
  identifier?: string;
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Checks and normalizes one entry; returns a message when it is not usable. */
export function parseBulkEntry(raw: unknown, index: number): BulkEntry | string {
  if (!isObject(raw)) return `entry ${index} is not an object`;
  const strategy = raw.strategy ?? 'UPDATE';
  if (!PROFILE_STRATEGIES.includes(strategy as never)) return `entry ${index}: unknown strategy ${String(strategy)}`;
  if (raw.profileId !== undefined && typeof raw.profileId !== 'string') return `entry ${index}: profileId must be a string`;

  const matching: BulkEntry['matching'] = [];
  if (raw.matching !== undefined) {
    if (!Array.isArray(raw.matching)) return `entry ${index}: matching must be an array of arrays`;
    for (const group of raw.matching) {
      if (!Array.isArray(group) || !group.every((c) => isObject(c) && typeof c.id === 'string' && c.value !== undefined)) {
        return `entry ${index}: matching must be an array of arrays of {id, value}`;
      }
      matching.push(group.map((c: Record<string, unknown>) => ({ id: c.id as string, value: String(c.value) })));
    }
  }

  const properties: PropertyRule[] = [];
  for (const rule of Array.isArray(raw.properties) ? raw.properties : []) {
    if (!isObject(rule) || typeof rule.id !== 'string') return `entry ${index}: every property needs an id`;
    const ruleStrategy = rule.strategy ?? 'SET';
    if (!PROPERTY_STRATEGIES.includes(ruleStrategy as never)) return `entry ${index}: unknown property strategy ${String(ruleStrategy)}`;
    const values = Array.isArray(rule.values) ? rule.values.map(String) : [];
    properties.push({ id: rule.id, values, strategy: ruleStrategy as PropertyStrategy });
  }
  if (raw.properties !== undefined && !Array.isArray(raw.properties)) return `entry ${index}: properties must be an array`;

  // Only UPSERT may go without a target: it then always creates.
  if (strategy !== 'UPSERT' && raw.profileId === undefined && matching.length === 0) {
    return `entry ${index}: ${String(strategy)} needs a profileId or matching`;
  }
  const identifier = typeof raw.identifier === 'string' ? raw.identifier : undefined;
  return { profileId: raw.profileId as string | undefined, matching, properties, strategy: strategy as BulkEntry['strategy'], identifier };
}

/** Applies one entry; profileId wins over matching, and matching acts on the first profile found. */
export function applyBulkEntry(store: BlueConicStore, entry: BulkEntry): BulkResult {
  const tag = entry.identifier !== undefined ? { identifier: entry.identifier } : {};
  const existing =
    entry.profileId !== undefined
      ? store.get(entry.profileId)
      : entry.matching.length
        ? store.findMatching(entry.matching.map((group) => group.map((c): [string, string] => [c.id, c.value])))
        : undefined;

  if (entry.strategy === 'DELETE') {
    if (!existing) return { state: 'NOTFOUND', profileId: entry.profileId, ...tag };
    store.delete(existing.id);
    return { state: 'DELETED', profileId: existing.id, ...tag };
  }
  if (!existing) {
    if (entry.strategy === 'UPDATE') return { state: 'NOTFOUND', profileId: entry.profileId, ...tag };
    const created = store.create({ id: entry.profileId, properties: applyRules({}, entry.properties) });
    return { state: 'CREATED', profileId: created.id, ...tag };
  }
  const changed = store.writeProperties(existing.id, applyRules(existing.properties, entry.properties));
  return { state: changed ? 'MODIFIED' : 'UNCHANGED', profileId: existing.id, ...tag };
}

function applyRules(current: Record<string, string[]>, rules: PropertyRule[]): Record<string, string[]> {
  const next: Record<string, string[]> = { ...current };
  for (const rule of rules) {
    const have = next[rule.id] ?? [];
    switch (rule.strategy) {
      case 'SET':
        next[rule.id] = [...rule.values];
        break;
      case 'SET_IF_EMPTY':
        if (have.length === 0) next[rule.id] = [...rule.values];
        break;
      case 'ADD':
        next[rule.id] = [...have, ...rule.values.filter((v, i, all) => !have.includes(v) && all.indexOf(v) === i)];
        break;
      case 'REMOVE':
        next[rule.id] = have.filter((v) => !rule.values.includes(v));
        break;
      case 'SUM':
      case 'INCREMENT': {
        const total = [have[0] ?? '0', ...rule.values].reduce((sum, v) => sum + (Number(v) || 0), 0);
        next[rule.id] = [String(total)];
        break;
      }
    }
  }
  return next;
}
