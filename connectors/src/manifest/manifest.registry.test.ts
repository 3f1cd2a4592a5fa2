import { ConnectorRegistry, ManifestInvalid, validateManifest } from './manifest.registry';

describe('connector manifests', () => {
  const registry = ConnectorRegistry.load();

  it('loads the bundled ActiveCampaign, BlueConic and Copernica manifests', () => {
    expect(registry.list().map((m) => m.id).sort()).toEqual(['activecampaign', 'blueconic', 'copernica']);
    expect(registry.operation('blueconic', 'getProfile')?.kind).toBe('get');
    expect(registry.get('copernica')?.auth).toEqual(['api_key', 'oauth1']);
  });

  it('describes Copernica\'s one-call upsert, and the split lookup/create/update of scenario 3', () => {
    expect(registry.httpOperation('copernica', 'upsertProfile')).toMatchObject({
      kind: 'upsert', method: 'PUT', path: '/database/{databaseId}/profiles',
      query: { 'fields[]': '{matchField}=={matchValue}', create: '1' }, payloadVars: { matchValue: 'fields.{matchField}' },
    });
    const split = registry.operation('copernica', 'createOrUpdateProfile');
    expect(split).toMatchObject({ kind: 'upsert', lookup: 'findProfile', create: 'createProfile', update: 'updateProfile' });
    expect(registry.httpOperation('copernica', 'createProfile')).toMatchObject({ method: 'POST', createdId: { header: 'X-Created' } });
  });

  it('describes the bulk lists: BlueConic by cursor with a watermark, ActiveCampaign by offset with its rate limit', () => {
    expect(registry.httpOperation('blueconic', 'listSegmentProfiles')).toMatchObject({
      kind: 'list', path: '/segments/{segmentId}/profiles', results: 'profiles',
      pagination: { style: 'cursor', sizeParam: 'count', cursorParam: 'cursor', nextCursorPath: 'nextCursor' },
      watermark: { param: 'trackPropertiesModifiedSince' },
    });
    expect(registry.httpOperation('activecampaign', 'listContacts').pagination).toMatchObject({ style: 'offset', sizeParam: 'limit', offsetParam: 'offset', maxPageSize: 100, totalPath: 'meta.total' });
    expect(registry.get('activecampaign')).toMatchObject({ rateLimit: { perSecond: 5 }, authDefaults: { api_key: { in: 'header', name: 'Api-Token' } } });
    expect(registry.httpOperation('activecampaign', 'syncContact')).toMatchObject({ method: 'POST', path: '/contact/sync', readBack: { lookup: 'findContactByEmail', read: 'getContact' } });
  });

  it('rejects a list without pagination, and a cursor pagination without its cursor fields', () => {
    const base = { id: 'lister', name: 'L', version: 1, baseUrlTemplate: 'https://x', auth: ['bearer'] };
    expect(() => validateManifest({ ...base, operations: { all: { kind: 'list', description: 'd', method: 'GET', path: '/all' } } })).toThrow(/has no pagination/);
    expect(() => validateManifest({ ...base, operations: { all: { kind: 'list', description: 'd', method: 'GET', path: '/all', pagination: { style: 'cursor', sizeParam: 'n' } } } })).toThrow(ManifestInvalid);
  });

  it('rejects a manifest that breaks the JSON Schema, naming the field', () => {
    expect(() => validateManifest({ id: 'x', name: 'X' })).toThrow(ManifestInvalid);
    try {
      validateManifest({ id: 'bad', name: 'Bad', version: 1, baseUrlTemplate: 'https://x', auth: ['magic'], operations: {} });
    } catch (e) {
      expect((e as ManifestInvalid).problems.join(' ')).toMatch(/auth\/0/);
    }
  });

  it('rejects an upsert that points at a missing operation', () => {
    expect(() =>
      validateManifest({
        id: 'broken', name: 'Broken', version: 1, baseUrlTemplate: 'https://x', auth: ['bearer'],
        params: { matchField: { description: 'm' } },
        operations: {
          upsert: { kind: 'upsert', description: 'u', lookup: 'nope', create: 'nope', update: 'nope', matchParam: 'matchField', matchValuePath: 'email' },
        },
      }),
    ).toThrow(/refers to nope/);
  });
});
