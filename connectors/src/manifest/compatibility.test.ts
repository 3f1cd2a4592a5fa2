import { compatibility } from './compatibility';
import { connectorRegistry } from './manifest.registry';
import { TARGET_OPERATION_KINDS, type ConnectorManifest } from './manifest.types';

const registry = connectorRegistry();
const get = (id: string) => registry.get(id)!;

describe('compatibility report from connector manifests', () => {
  const all = registry.list();
  const pairs = all.flatMap((s) => all.map((t) => [s, t] as const));

  it.each(pairs.map(([s, t]) => [s.id, t.id]))('%s → %s: a report for every pair of manifests present', (sid, tid) => {
    const [s, t] = [get(sid), get(tid)];
    const r = compatibility(s, t);
    const takes = Object.values(t.operations).some((op) => TARGET_OPERATION_KINDS.includes(op.kind));
    const fetches = Object.values(s.operations).some((op) => op.kind === 'get');
    expect(r.compatible).toBe(takes);
    expect(r.triggers.find((x) => x.kind === 'notify')!.available).toBe(fetches);
    expect(r.auth.source.map((a) => a.kind)).toEqual(s.auth);
    expect(r.auth.target.map((a) => a.kind)).toEqual(t.auth);
    expect(r.needs.length).toBeGreaterThan(0);
    // Every target field is either matched or listed as what the mapping must fill.
    expect(new Set([...r.fields.map((f) => f.targetField), ...r.unmatchedTargetFields])).toEqual(new Set((t.fields ?? []).map((f) => f.name)));
  });

  it('BlueConic → Copernica: notify through getProfile, bulk with a watermark, both upserts, the match value and databaseId still needed', () => {
    const r = compatibility(get('blueconic'), get('copernica'));
    expect(r.compatible).toBe(true);
    expect(r.triggers.find((t) => t.kind === 'notify')).toMatchObject({ available: true, operations: ['getProfile'] });
    expect(r.triggers.find((t) => t.kind === 'bulk')).toMatchObject({ available: true, operations: ['listSegmentProfiles'], detail: expect.stringMatching(/changed since/) });
    expect(r.targetOperations.map((o) => o.name).sort()).toEqual(['createOrUpdateProfile', 'createProfile', 'updateProfile', 'upsertProfile']);
    expect(r.targetOperations.find((o) => o.name === 'createOrUpdateProfile')!.calls).toMatch(/^GET .* \(lookup by matchField\), then PUT \/profile\/\{id\} or POST/);
    expect(r.fields).toContainEqual(expect.objectContaining({ sourceField: 'properties', targetField: 'interests', basis: 'description' }));
    expect(r.unmatchedTargetFields).toEqual(['fields']);
    expect(r.needs).toEqual(expect.arrayContaining([expect.stringMatching(/parameter databaseId/), expect.stringMatching(/payload has fields\.\{matchField\}/)]));
    expect(r.auth.target).toContainEqual({ kind: 'api_key', detail: 'API key sent in the query as access_token' });
  });

  it('matches fields by name and type on made-up manifests, and says a platform without target operations cannot be a target', () => {
    const base = { version: 1, baseUrlTemplate: 'https://x.example/api', auth: ['bearer'] } as const;
    const a: ConnectorManifest = { ...base, id: 'a', name: 'A', auth: ['bearer'], operations: { read: { kind: 'get', description: 'd', method: 'GET', path: '/r/{id}' } },
      fields: [{ name: 'Email_Address', type: 'string' }, { name: 'age', type: 'integer' }] };
    const b: ConnectorManifest = { ...base, id: 'b', name: 'B', auth: ['basic'], operations: { put: { kind: 'upsert', description: 'd', method: 'PUT', path: '/p' } },
      fields: [{ name: 'person.emailAddress', type: 'string', description: 'Required' }, { name: 'person.age', type: 'string' }, { name: 'nickname', type: 'string' }] };
    const r = compatibility(a, b);
    expect(r.fields).toEqual([
      expect.objectContaining({ sourceField: 'Email_Address', targetField: 'person.emailAddress', basis: 'name', typeCompatible: true }),
      expect.objectContaining({ sourceField: 'age', targetField: 'person.age', basis: 'name', typeCompatible: true }),
    ]);
    expect(r.unmatchedTargetFields).toEqual(['nickname']);
    expect(r.needs).toEqual(expect.arrayContaining([expect.stringMatching(/produces person\.emailAddress \(required by B\)/)]));
    const back = compatibility(b, a);
    expect(back.compatible).toBe(false);
    expect(back.needs).toEqual(['A has no create, update or upsert operation: it cannot be a sync\'s target']);
    expect(back.triggers.find((t) => t.kind === 'notify')!.available).toBe(false);
  });
});
