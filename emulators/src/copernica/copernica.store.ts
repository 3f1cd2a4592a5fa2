// In-memory Copernica account: databases with fields and interests, and their profiles.
import { randomBytes } from 'node:crypto';
import { CopernicaDatabaseConfig, CopernicaProfile } from './copernica.types';

export interface Interest {
  ID: string;
  name: string;
  group: string;
}

export interface Database {
  id: number;
  name: string;
  fields: string[];
  interests: Interest[];
}

export interface StoredProfile {
  id: number;
  databaseId: number;
  fields: Record<string, string>;
  interests: string[];
  secret: string;
  created: string;
  modified: string;
  removed?: string;
}

/** Interest changes: names to switch on and to switch off. */
export interface InterestChange {
  on: string[];
  off: string[];
}

const FIRST_PROFILE_ID = 1001;

/** Copernica prints times as "YYYY-MM-DD HH:MM:SS" (here in UTC). */
function timestamp(ms: number): string {
  return new Date(ms).toISOString().slice(0, 19).replace('T', ' ');
}

export class CopernicaStore {
  private databases: Database[] = [];
  private profiles = new Map<number, StoredProfile>();
  private nextProfileId = FIRST_PROFILE_ID;
  private nextInterestId = 1;

  constructor(
    private readonly configs: CopernicaDatabaseConfig[],
    private readonly clock: () => number,
  ) {
    this.clear();
  }

  clear(): void {
    this.profiles.clear();
    this.nextProfileId = FIRST_PROFILE_ID;
    this.nextInterestId = 1;
    this.databases = this.configs.map((c) => ({ id: c.id, name: c.name, fields: [...c.fields], interests: [] }));
    for (const [i, c] of this.configs.entries()) for (const name of c.interests ?? []) this.interest(this.databases[i], name);
  }

  /** By numeric id or by name (names compared case-insensitively), as the v3 docs allow. */
  database(idOrName: string | number): Database | undefined {
    const key = String(idOrName);
    if (/^\d+$/.test(key)) return this.databases.find((d) => d.id === Number(key));
    return this.databases.find((d) => d.name.toLowerCase() === key.toLowerCase());
  }

  allDatabases(): Database[] {
    return this.databases;
  }

  /** A profile by id; ids that are not positive integers never match (as on the live API). */
  profile(id: string | number): StoredProfile | undefined {
    const key = String(id);
    return /^[1-9]\d*$/.test(key) ? this.profiles.get(Number(key)) : undefined;
  }

  /** Live (not removed) profiles, optionally of one database, in id order. */
  list(databaseId?: number): StoredProfile[] {
    return [...this.profiles.values()].filter((p) => !p.removed && (databaseId === undefined || p.databaseId === databaseId));
  }

  /** The database's own spelling of a field name, matched case-insensitively; undefined if unknown. */
  fieldName(db: Database, name: string): string | undefined {
    return db.fields.find((f) => f.toLowerCase() === name.toLowerCase());
  }

  /** Told after a profile is created or changed (the emulator calls its registered webhooks). */
  onChange: (profile: StoredProfile, type: 'create' | 'update') => void = () => undefined;
  private creating = false;

  create(db: Database, fields: Record<string, unknown>, interests: InterestChange): StoredProfile {
    const now = timestamp(this.clock());
    const profile: StoredProfile = {
      id: this.nextProfileId++,
      databaseId: db.id,
      fields: Object.fromEntries(db.fields.map((f) => [f, ''])),
      interests: [],
      secret: randomBytes(16).toString('hex'),
      created: now,
      modified: now,
    };
    this.profiles.set(profile.id, profile);
    this.creating = true;
    try {
      this.update(profile, fields, interests, 'merge');
    } finally {
      this.creating = false;
    }
    profile.modified = now;
    this.onChange(profile, 'create');
    return profile;
  }

  /** Unknown field names are ignored, as the live API does; values are stored as strings. */
  update(profile: StoredProfile, fields: Record<string, unknown>, interests: InterestChange, mode: 'merge' | 'overwrite'): void {
    const db = this.database(profile.databaseId)!;
    for (const [name, value] of Object.entries(fields)) {
      const field = this.fieldName(db, name);
      if (field !== undefined) profile.fields[field] = value === null || value === undefined ? '' : String(value);
    }
    const on = interests.on.map((name) => this.interest(db, name).name);
    // Switching off an interest the database lacks is a no-op, so it is not created for that.
    const off = new Set(interests.off.map((name) => db.interests.find((i) => i.name.toLowerCase() === name.toLowerCase())?.name));
    const kept = mode === 'overwrite' ? [] : profile.interests.filter((name) => !off.has(name));
    profile.interests = [...new Set([...kept, ...on])];
    profile.modified = timestamp(this.clock());
    if (!this.creating) this.onChange(profile, 'update');
  }

  /** Marks a profile removed: it leaves every list, and GET shows empty fields and the removal time. */
  remove(profile: StoredProfile): void {
    profile.removed = timestamp(this.clock());
    profile.fields = Object.fromEntries(Object.keys(profile.fields).map((f) => [f, '']));
    profile.interests = [];
  }

  /** Finds an interest by name (case-insensitively) or creates it: the emulator's lenient reading. */
  interest(db: Database, name: string, group = ''): Interest {
    const found = db.interests.find((i) => i.name.toLowerCase() === name.toLowerCase());
    if (found) return found;
    const created = { ID: String(this.nextInterestId++), name, group };
    db.interests.push(created);
    return created;
  }

  json(p: StoredProfile): CopernicaProfile {
    return {
      ID: String(p.id),
      fields: { ...p.fields },
      interests: [...p.interests],
      database: String(p.databaseId),
      secret: p.secret,
      created: p.created,
      modified: p.modified,
      removed: p.removed ?? false,
    };
  }
}
