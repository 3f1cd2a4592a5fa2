import { filterFrom, mappingFromRows, sourcePaths } from './mapping.model';

const profile = { id: 'p1', properties: [{ id: 'email', values: ['jane@example.com'] }, { id: 'interests', values: ['football', 'tennis'] }] };

describe('the mapping editor model', () => {
  it('offers BlueConic properties by id (first value, and all values when there are several)', () => {
    const paths = sourcePaths(profile);
    expect(paths.map((p) => p.expr)).toEqual([
      'record.id',
      'record.properties[id = "email"].values[0]',
      'record.properties[id = "interests"].values[0]',
      'record.properties[id = "interests"].values',
    ]);
    expect(paths[3]!.example).toEqual(['football', 'tennis']);
  });

  it('quotes keys that are not identifiers', () => {
    expect(sourcePaths({ 'first name': 'Jane' })[0]!.expr).toBe('record.`first name`');
  });

  it('writes nested object fields and wraps list fields, as scenario 1 needs', () => {
    const fields = [{ name: 'fields', type: 'object' }, { name: 'interests', type: 'string[]' }];
    const jsonata = mappingFromRows([
      { target: 'fields', key: 'email', source: 'record.properties[id = "email"].values[0]' },
      { target: 'interests', key: '', source: 'record.properties[id = "interests"].values' },
      { target: 'fields', key: '', source: 'record.id' },
    ], fields);
    expect(jsonata).toBe('{\n  "fields": {\n    "email": record.properties[id = "email"].values[0]\n  },\n  "interests": [record.properties[id = "interests"].values]\n}');
  });

  it('builds one-condition filters', () => {
    expect(filterFrom('record.x', '=', 'true')).toBe('record.x = "true"');
    expect(filterFrom('record.tags', 'in', 'vip')).toBe('"vip" in record.tags');
    expect(filterFrom('record.x', 'exists', '')).toBe('$exists(record.x)');
  });
});
