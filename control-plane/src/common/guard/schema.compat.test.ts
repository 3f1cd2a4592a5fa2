import { describeBreakingChanges, explainUnreviewedBreakingChanges, findUnreviewedBreakingChanges } from './schema.compat';

const before = `type Query { user(id: ID!): User }  type User { id: ID! name: String! email: String }`;

describe('findUnreviewedBreakingChanges', () => {
  it('reports a removed field as "<TYPE>: <description>"', () => {
    const after = `type Query { user(id: ID!): User }  type User { id: ID! name: String! }`;
    expect(findUnreviewedBreakingChanges(before, after, [])).toEqual(['FIELD_REMOVED: User.email was removed.']);
  });

  it('leaves out a change listed as accepted, and only that one', () => {
    const after = `type Query { user(id: ID!, tenant: ID!): User }  type User { id: ID! name: String! }`;
    expect(describeBreakingChanges(before, after).sort()).toEqual([
      'FIELD_REMOVED: User.email was removed.',
      'REQUIRED_ARG_ADDED: A required arg tenant on Query.user was added.',
    ]);
    expect(findUnreviewedBreakingChanges(before, after, ['FIELD_REMOVED: User.email was removed.'])).toEqual([
      'REQUIRED_ARG_ADDED: A required arg tenant on Query.user was added.',
    ]);
  });

  it('does not count added optional fields and arguments as breaking', () => {
    const after = `type Query { user(id: ID!, asOf: String): User }  type User { id: ID! name: String! email: String avatar: String }`;
    expect(findUnreviewedBreakingChanges(before, after, [])).toEqual([]);
  });

  it('tells the developer the exact JSON line that accepts each change', () => {
    const text = explainUnreviewedBreakingChanges(['FIELD_REMOVED: User.email was removed.'], 'cp/schema.graphql', 'cp/accepted.json');
    expect(text).toContain('  - FIELD_REMOVED: User.email was removed.');
    expect(text).toContain('add these lines to "accepted" in cp/accepted.json:\n    "FIELD_REMOVED: User.email was removed.",');
  });
});
