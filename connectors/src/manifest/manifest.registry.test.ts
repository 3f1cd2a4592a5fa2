import { ConnectorRegistry, ManifestInvalid, validateManifest } from './manifest.registry';

describe('connector manifests', () => {
  const registry = ConnectorRegistry.load();

  it('loads the bundled BlueConic and Copernica manifests', () => {
    expect(registry.list().map((m) => m.id).sort()).toEqual(['blueconic', 'copernica']);
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
