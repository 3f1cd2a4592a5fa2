// BlueConic REST v2 resources the hub uses (BC-OAS): one profile, search, segments, bulk export
// with cursors, and bulk upsert.
import type { EmulatorRequest, EmulatorResponse, Route } from '../emulator/emulator.router';
import { applyBulkEntry, BULK_LIMIT, BulkEntry, parseBulkEntry } from './blueconic.bulk';
import { blueConicError } from './blueconic.errors';
import { BlueConicStore, Segment } from './blueconic.store';
import { BlueConicProfile } from './blueconic.types';

export const BASE_PATH = '/rest/v2';
const DEFAULT_SEARCH_COUNT = 5; // itemsPerPage in the vendor's searchProfiles example
const DEFAULT_SEGMENT_COUNT = 10; // itemsPerPage in the getAllSegments example
const DEFAULT_EXPORT_COUNT = 20; // itemsPerPage in the getProfilesInSegment example
const MAX_EXPORT_COUNT = 1_000_000;

export interface BlueConicRouteDeps {
  store: BlueConicStore;
  indexedProperties?: string[];
  token(req: EmulatorRequest): EmulatorResponse;
}

export function blueConicRoutes(deps: BlueConicRouteDeps): Route[] {
  const { store } = deps;
  return [
    { method: 'POST', path: `${BASE_PATH}/oauth/token`, public: true, handle: deps.token },
    { method: 'GET', path: `${BASE_PATH}/profiles/:profileId`, handle: (req) => getProfile(store, req) },
    { method: 'GET', path: `${BASE_PATH}/profiles`, handle: (req) => searchProfiles(store, req, deps.indexedProperties) },
    { method: 'PUT', path: `${BASE_PATH}/profiles`, handle: (req) => bulkProfiles(store, req) },
    { method: 'GET', path: `${BASE_PATH}/segments`, handle: (req) => listSegments(store, req) },
    { method: 'GET', path: `${BASE_PATH}/segments/:segment/profiles`, handle: (req) => segmentProfiles(store, req) },
  ];
}

/** Which properties to show: `profileProperty` (repeatable) and the deprecated comma list `properties`. */
function propertyFilter(query: URLSearchParams): Set<string> | undefined {
  const wanted = [...query.getAll('profileProperty'), ...query.getAll('properties').flatMap((p) => p.split(','))]
    .map((p) => p.trim())
    .filter(Boolean);
  return wanted.length ? new Set(wanted) : undefined;
}

function profileJson(store: BlueConicStore, p: BlueConicProfile, only: Set<string> | undefined, withSegments: boolean) {
  const properties = Object.entries(p.properties)
    .filter(([id]) => !only || only.has(id))
    .map(([id, values]) => ({ id, values }));
  return {
    id: p.id,
    creationDate: p.creationDate,
    consentedObjectives: p.properties.consented_objectives ?? [],
    refusedObjectives: p.properties.refused_objectives ?? [],
    permissions: { level: 'PERSONAL' },
    properties,
    // Every profile is in "All Visitors", the only segment the emulator has.
    ...(withSegments ? { segments: store.segments.map((s) => ({ id: s.id })) } : {}),
  };
}

function getProfile(store: BlueConicStore, req: EmulatorRequest): EmulatorResponse {
  const profile = store.get(req.params.profileId);
  if (!profile) return blueConicError(404, "The specified profile doesn't exist.");
  const collapsed = req.query.getAll('collapse').includes('profile.segments');
  return { status: 200, body: profileJson(store, profile, propertyFilter(req.query), !collapsed) };
}

/** Reads a non-negative integer query parameter; undefined when absent, NaN when invalid. */
function intParam(query: URLSearchParams, name: string): number | undefined {
  const raw = query.get(name);
  if (raw === null || raw === '') return undefined;
  return /^\d+$/.test(raw) ? Number(raw) : NaN;
}

function searchProfiles(store: BlueConicStore, req: EmulatorRequest, indexed: string[] | undefined): EmulatorResponse {
  const properties = req.query.getAll('property');
  const values = req.query.getAll('value');
  if (properties.length === 0 || properties.length !== values.length) {
    return blueConicError(400, 'One or more required parameters are missing or invalid.', 'property and value are required, in pairs');
  }
  const notIndexed = indexed && properties.find((p) => !indexed.includes(p));
  if (notIndexed) {
    return blueConicError(501, 'The specified property is not classified as indexed (unique).', `property ${notIndexed} is not indexed`);
  }
  const startIndex = intParam(req.query, 'startIndex') ?? 0;
  const count = intParam(req.query, 'count') ?? DEFAULT_SEARCH_COUNT;
  if (Number.isNaN(startIndex) || Number.isNaN(count) || count < 1) {
    return blueConicError(400, 'One or more required parameters are missing or invalid.', 'startIndex and count must be integers');
  }
  const found = store.search(properties.map((p, i) => [p, values[i]]));
  return {
    status: 200,
    body: {
      profiles: found.slice(startIndex, startIndex + count).map((p) => ({ id: p.id })),
      itemsPerPage: count,
      startIndex,
      totalPages: Math.ceil(found.length / count),
      totalResults: found.length,
    },
  };
}

function listSegments(store: BlueConicStore, req: EmulatorRequest): EmulatorResponse {
  const startIndex = intParam(req.query, 'startIndex') ?? 0;
  const count = intParam(req.query, 'count') ?? DEFAULT_SEGMENT_COUNT;
  if (Number.isNaN(startIndex) || Number.isNaN(count) || count < 1) {
    return blueConicError(400, 'One or more required parameters are missing or invalid.', 'startIndex and count must be integers');
  }
  // Emulated segments carry no tags, so any filterTag filters them all out.
  const segments = req.query.getAll('filterTag').length ? [] : store.segments;
  return {
    status: 200,
    body: {
      itemsPerPage: count,
      segments: segments.slice(startIndex, startIndex + count).map((s) => segmentJson(store, s)),
      startIndex,
      totalPages: Math.ceil(segments.length / count),
      totalResults: segments.length,
    },
  };
}

function segmentJson(store: BlueConicStore, s: Segment) {
  return {
    creationDate: s.creationDate,
    description: '',
    id: s.id,
    lastModifiedDate: s.creationDate,
    name: s.name,
    profileCount: store.size,
    tags: [],
  };
}

/** Cursors are opaque to clients; here they name the last profile of the previous page. */
const encodeCursor = (seq: number) => Buffer.from(`after:${seq}`, 'utf8').toString('base64url');
function decodeCursor(cursor: string | null): number | undefined {
  if (cursor === null || cursor === '' || cursor === '*') return 0;
  const m = /^after:(\d+)$/.exec(Buffer.from(cursor, 'base64url').toString('utf8'));
  return m ? Number(m[1]) : undefined;
}

function segmentProfiles(store: BlueConicStore, req: EmulatorRequest): EmulatorResponse {
  const segment = store.segment(req.params.segment);
  if (!segment) return blueConicError(404, 'Segment not found.');
  const count = intParam(req.query, 'count') ?? DEFAULT_EXPORT_COUNT;
  if (Number.isNaN(count) || count < 1 || count > MAX_EXPORT_COUNT) {
    return blueConicError(400, 'One or more required parameters are missing or invalid.', `count must be 1..${MAX_EXPORT_COUNT}`);
  }
  const cursor = req.query.get('cursor');
  const afterSeq = decodeCursor(cursor);
  if (afterSeq === undefined) return blueConicError(400, 'One or more required parameters are missing or invalid.', 'invalid cursor');

  // Change tracking: only profiles modified since the given time (see the README for this reading).
  const since = req.query.get('trackPropertiesModifiedSince');
  const sinceMs = since ? Date.parse(since) : undefined;
  if (sinceMs !== undefined && Number.isNaN(sinceMs)) {
    return blueConicError(400, 'One or more required parameters are missing or invalid.', 'trackPropertiesModifiedSince must be a date-time');
  }
  const page = store.segmentPage(afterSeq, count, sinceMs);
  const nextCursor = page.more && page.lastSeq !== undefined ? encodeCursor(page.lastSeq) : undefined;
  const only = propertyFilter(req.query);
  const withSegments = req.query.getAll('expand').includes('profiles.profile.segments');
  const self = `http://${req.headers.host ?? 'localhost'}${BASE_PATH}/segments/${encodeURIComponent(segment.id)}/profiles`;
  const links = [{ href: `${self}?cursor=%2A&count=${count}`, rel: 'first', type: 'application/json' }];
  if (nextCursor) links.push({ href: `${self}?cursor=${nextCursor}&count=${count}`, rel: 'next', type: 'application/json' });
  return {
    status: 200,
    chunked: true,
    body: {
      itemsPerPage: count,
      totalPages: Math.ceil(store.size / count),
      totalResults: store.size,
      cursor: cursor || '*',
      ...(nextCursor ? { nextCursor } : {}),
      links,
      profiles: page.profiles.map((p) => profileJson(store, p, only, withSegments)),
    },
  };
}

function bulkProfiles(store: BlueConicStore, req: EmulatorRequest): EmulatorResponse {
  if (!Array.isArray(req.body)) {
    return blueConicError(400, 'One or more required parameters are missing or invalid.', 'the body must be a JSON array of profile operations');
  }
  const entries: BulkEntry[] = [];
  for (const [index, raw] of req.body.slice(0, BULK_LIMIT).entries()) {
    const entry = parseBulkEntry(raw, index);
    if (typeof entry === 'string') return blueConicError(400, 'One or more required parameters are missing or invalid.', entry);
    entries.push(entry);
  }
  const results = entries.map((entry) => applyBulkEntry(store, entry));
  // The vendor processes the first 1000 entries and still answers 413 with their results.
  return { status: req.body.length > BULK_LIMIT ? 413 : 200, body: results };
}
