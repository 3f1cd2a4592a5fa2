// In-memory BlueConic tenant: profiles in creation order plus the "All Visitors" segment.
import { randomUUID } from 'node:crypto';
import { BlueConicProfile, BlueConicProfileInput } from './blueconic.types';

/** The id BlueConic's own docs use for "All Visitors" in the getAllSegments example. */
export const ALL_VISITORS_SEGMENT_ID = 'aa9c3c86-edec-4ac5-8521-a1be602eb7c6';

export interface Segment {
  id: string;
  name: string;
  creationDate: string;
}

interface StoredProfile extends BlueConicProfile {
  /** Position in creation order; segment cursors point at it, so inserts never shift a page. */
  seq: number;
}

export class BlueConicStore {
  private profiles = new Map<string, StoredProfile>();
  private nextSeq = 1;
  readonly segments: Segment[];

  constructor(private readonly clock: () => number) {
    this.segments = [{ id: ALL_VISITORS_SEGMENT_ID, name: 'All Visitors', creationDate: new Date(clock()).toISOString() }];
  }

  clear(): void {
    this.profiles.clear();
    this.nextSeq = 1;
  }

  get(id: string): BlueConicProfile | undefined {
    const p = this.profiles.get(id);
    return p && copy(p);
  }

  /** All profiles in creation order. */
  all(): BlueConicProfile[] {
    return [...this.profiles.values()].map(copy);
  }

  get size(): number {
    return this.profiles.size;
  }

  create(input: BlueConicProfileInput): BlueConicProfile {
    const now = new Date(this.clock()).toISOString();
    const stored: StoredProfile = {
      id: input.id ?? randomUUID(),
      creationDate: input.creationDate ?? now,
      lastModifiedDate: now,
      properties: cleanProperties(input.properties),
      seq: this.nextSeq++,
    };
    this.profiles.set(stored.id, stored);
    return copy(stored);
  }

  /** Replaces the properties of an existing profile; says whether anything changed. */
  writeProperties(id: string, properties: Record<string, string[]>): boolean {
    const stored = this.profiles.get(id);
    if (!stored) throw new Error(`no profile ${id}`);
    const next = cleanProperties(properties);
    if (JSON.stringify(sorted(next)) === JSON.stringify(sorted(stored.properties))) return false;
    stored.properties = next;
    stored.lastModifiedDate = new Date(this.clock()).toISOString();
    return true;
  }

  delete(id: string): boolean {
    return this.profiles.delete(id);
  }

  /** Profiles having every (property, value) pair; values compare exactly. */
  search(criteria: Array<[property: string, value: string]>): BlueConicProfile[] {
    return [...this.profiles.values()].filter((p) => hasAll(p, criteria)).map(copy);
  }

  /** The first profile (in creation order) matching any group of (property, value) pairs. */
  findMatching(groups: Array<Array<[property: string, value: string]>>): BlueConicProfile | undefined {
    for (const p of this.profiles.values()) if (groups.some((group) => hasAll(p, group))) return copy(p);
    return undefined;
  }

  segment(idOrName: string): Segment | undefined {
    return this.segments.find((s) => s.id === idOrName || s.name === idOrName);
  }

  /** A page of a segment after the profile at `afterSeq`; `next` is set when more follow. */
  segmentPage(afterSeq: number, count: number, modifiedSinceMs?: number): { profiles: BlueConicProfile[]; lastSeq?: number; more: boolean } {
    const following = [...this.profiles.values()].filter((p) => p.seq > afterSeq && (modifiedSinceMs === undefined || Date.parse(p.lastModifiedDate) >= modifiedSinceMs));
    const page = following.slice(0, count);
    return { profiles: page.map(copy), lastSeq: page.at(-1)?.seq, more: following.length > count };
  }
}

function hasAll(p: BlueConicProfile, criteria: Array<[property: string, value: string]>): boolean {
  return criteria.every(([prop, value]) => (p.properties[prop] ?? []).includes(value));
}

function copy(p: StoredProfile | BlueConicProfile): BlueConicProfile {
  return {
    id: p.id,
    creationDate: p.creationDate,
    lastModifiedDate: p.lastModifiedDate,
    properties: Object.fromEntries(Object.entries(p.properties).map(([k, v]) => [k, [...v]])),
  };
}

/** Values become strings; empty value lists drop the property, as BlueConic shows no empty properties. */
function cleanProperties(properties: Record<string, unknown[]>): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const [id, values] of Object.entries(properties)) {
    const strings = values.map(String);
    if (strings.length) out[id] = strings;
  }
  return out;
}

function sorted(properties: Record<string, string[]>): Array<[string, string[]]> {
  return Object.entries(properties).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
}
