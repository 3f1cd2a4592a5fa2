import { compareMapped } from './audit.compare';

describe('accuracy audit comparison', () => {
  const sent = { contact: { email: 'a@example.com', firstName: 'Ann', fieldValues: [{ field: '1', value: 'football,tennis' }] } };

  it('matches a record that holds every mapped value, whatever it adds and in any order', () => {
    const read = { contact: { id: '7', email: 'a@example.com', firstName: 'Ann', cdate: 'x', fieldValues: [{ field: '2', value: 'z' }, { field: '1', value: 'football,tennis', id: '9' }] } };
    expect(compareMapped(sent, read)).toEqual([]);
    expect(compareMapped({ visits: 2, name: '' }, { visits: '2' })).toEqual([]);
  });

  it('names each field that differs or is missing, with both values', () => {
    const read = { contact: { email: 'a@example.com', firstName: 'Anne', fieldValues: [{ field: '1', value: 'football' }] } };
    expect(compareMapped(sent, read)).toEqual([
      { path: 'contact.firstName', expected: 'Ann', actual: 'Anne' },
      { path: 'contact.fieldValues', expected: [{ field: '1', value: 'football,tennis' }], actual: [{ field: '1', value: 'football' }] },
    ]);
    expect(compareMapped({ a: { b: 1 } }, {})).toEqual([{ path: 'a', expected: { b: 1 }, actual: null }]);
  });
});
