import { ApolloServer } from '@apollo/server';
import { buildSchema, getIntrospectionQuery, parse, specifiedRules, validate, type GraphQLError } from 'graphql';
import { formatError } from '../errors';
import { DEFAULT_QUERY_LIMITS, queryLimitRules, type QueryLimits } from './query.limits';

const schema = buildSchema(`
  type Query {
    viewer: User!
    users(first: Int, after: String): UserConnection!
    node(id: ID!): Node
  }
  interface Node { id: ID! }
  type User implements Node {
    id: ID!
    name: String!
    friend: User
    friends(first: Int): UserConnection!
    posts: [Post!]!
  }
  type Post { id: ID! title: String! }
  type UserConnection { edges: [UserEdge!]! pageInfo: PageInfo! totalCount: Int! }
  type UserEdge { cursor: String! node: User! }
  type PageInfo { hasNextPage: Boolean! endCursor: String }
`);

function errors(query: string, limits: QueryLimits = DEFAULT_QUERY_LIMITS): readonly GraphQLError[] {
  return validate(schema, parse(query), [...specifiedRules, ...queryLimitRules(limits)]);
}

/** depth, aliases and complexity as the rules see them: limits of -1 make every rule report its figure. */
function measure(query: string): Record<string, unknown> {
  const found = validate(schema, parse(query), queryLimitRules({ maxDepth: -1, maxAliases: -1, maxComplexity: -1, maxFragmentSpreads: Number.MAX_SAFE_INTEGER }));
  return Object.fromEntries(found.map((e) => [e.extensions.limit, e.extensions.actual]));
}

const nested = (levels: number) => `{ viewer { ${'friend { '.repeat(levels - 2)}id${' }'.repeat(levels - 2)} } }`;

describe('queryLimitRules', () => {
  it('lets an ordinary query through', () => {
    const q = `query Page($after: String) {
      viewer { id name posts { title } }
      users(first: 50, after: $after) { totalCount pageInfo { hasNextPage endCursor } edges { cursor node { id name } } }
    }`;
    expect(errors(q)).toEqual([]);
  });

  it('rejects a query nested deeper than maxDepth with BAD_USER_INPUT and the numbers', () => {
    expect(errors(nested(10))).toEqual([]);
    const [e, ...rest] = errors(nested(12));
    expect(rest).toEqual([]);
    expect(e.message).toMatch(/^Query depth 12 exceeds the limit of 10; /);
    expect(e.extensions).toEqual({ code: 'BAD_USER_INPUT', limit: 'depth', max: 10, actual: 12 });
    expect(e.locations).toEqual([{ line: 1, column: 1 }]);
  });

  it('rejects more aliases than maxAliases, counting a fragment once per spread', () => {
    const aliases = (n: number) => Array.from({ length: n }, (_, i) => `a${i}: viewer { id }`).join(' ');
    expect(errors(`{ ${aliases(30)} }`)).toEqual([]);
    expect(errors(`{ ${aliases(31)} }`).map((e) => e.extensions)).toEqual([{ code: 'BAD_USER_INPUT', limit: 'aliases', max: 30, actual: 31 }]);
    const viaFragment = `{ viewer { ...F friend { ...F } } } fragment F on User { a: id b: name c: id }`;
    expect(measure(viaFragment).aliases).toBe(6);
  });

  it('rejects nested connections of 100 as too complex', () => {
    const q = `{ users(first: 100) { edges { node { friends(first: 100) { edges { node { id name } } } } } } }`;
    const [e, ...rest] = errors(q);
    expect(rest).toEqual([]);
    // friends = 1 + 100 × (edges 1 + node 1 + 2 leaves) = 401; users = 1 + 100 × (edges 1 + node 1 + 401) = 40301
    expect(e.extensions).toEqual({ code: 'BAD_USER_INPUT', limit: 'complexity', max: 25_000, actual: 40301 });
    expect(e.message).toBe(
      'Query complexity 40301 exceeds the limit of 25000; ask for smaller pages (first: …) or fewer nested connections, and page through the rest.',
    );
  });

  it('prices a variable or missing first at the default page of 20, and caps a literal at 100', () => {
    const shape = (first: string) => `{ users${first} { edges { node { id } } } }`;
    expect(measure(`query($n: Int) ${shape('(first: $n)')}`).complexity).toBe(1 + 20 * 3);
    expect(measure(shape('')).complexity).toBe(1 + 20 * 3);
    expect(measure(shape('(first: 5000)')).complexity).toBe(1 + 100 * 3);
    expect(measure(shape('(first: 2)')).complexity).toBe(1 + 2 * 3);
  });

  it('prices a plain list outside a connection as a page of 20, and edges inside one as already paid', () => {
    expect(measure(`{ viewer { posts { id title } } }`).complexity).toBe(1 + (1 + 20 * 2));
    expect(measure(`{ users(first: 1) { edges { cursor } pageInfo { hasNextPage } } }`).complexity).toBe(1 + 1 * (2 + 2));
  });

  it('leaves introspection to its own switch, so GraphiQL and codegen still work when it is on', () => {
    expect(measure(`{ __schema { types { fields { type { name } } } } }`)).toEqual({ depth: 1, aliases: 0, complexity: 1 });
    expect(errors(getIntrospectionQuery())).toEqual([]);
    // …but an introspection field does not hide the rest of a query from the limits.
    expect(errors(`{ __typename ${'a: viewer { id } '.repeat(1)}${Array.from({ length: 31 }, (_, i) => `x${i}: __typename`).join(' ')} }`).map((e) => e.extensions.limit)).toEqual(['aliases']);
  });

  it('follows named and inline fragments, on interfaces too', () => {
    const q = `{ node(id: "1") { ... on User { friend { ...Deep } } } } fragment Deep on User { friend { friend { id } } }`;
    expect(measure(q)).toEqual({ depth: 5, aliases: 0, complexity: 5 });
    expect(errors(q, { ...DEFAULT_QUERY_LIMITS, maxDepth: 4 }).map((e) => e.extensions.actual)).toEqual([5]);
  });

  it('ends on fragment cycles and leaves the report to graphql’s own rule', () => {
    const cycle = `{ viewer { ...A } } fragment A on User { friend { ...B } } fragment B on User { friend { ...A } }`;
    const found = errors(cycle);
    expect(found.some((e) => /Cannot spread fragment "A" within itself/.test(e.message))).toBe(true);
    expect(found.filter((e) => e.extensions.limit)).toEqual([]);
    expect(measure(`{ viewer { ...S } } fragment S on User { id ...S }`)).toEqual({ depth: 2, aliases: 0, complexity: 2 });
  });

  it('measures a fragment spread many times without re-walking it', () => {
    // 40 fragments each spreading the next twice: 2^40 expanded fields, measured through memoised fragments.
    const frags = Array.from({ length: 40 }, (_, i) => `fragment F${i} on User { x: id ${i < 39 ? `...F${i + 1} friend { ...F${i + 1} }` : ''} }`);
    const started = Date.now();
    const m = measure(`{ viewer { ...F0 } } ${frags.join(' ')}`);
    expect(Date.now() - started).toBeLessThan(1000);
    expect(m.aliases).toBe(2 ** 40 - 1);
    expect(m.depth).toBe(41);
  });

  it('rejects more fragment spreads than maxFragmentSpreads with BAD_USER_INPUT and the numbers', () => {
    const spreads = (n: number) => `{ viewer { ${'...F '.repeat(n)}} } fragment F on User { id }`;
    expect(errors(spreads(100))).toEqual([]);
    const [e, ...rest] = errors(spreads(1000));
    expect(rest).toEqual([]);
    expect(e.extensions).toEqual({ code: 'BAD_USER_INPUT', limit: 'fragmentSpreads', max: 100, actual: 1000 });
    expect(e.message).toBe('Query uses 1000 fragment spreads, over the limit of 100; spread each fragment once, or split the work across several requests.');
    // Spreads count as written, inside fragments too.
    expect(errors(`{ viewer { ...A } } fragment A on User { ${'...B '.repeat(101)}} fragment B on User { id }`).map((x) => x.extensions.actual)).toEqual([102]);
  });

  it('measures each operation of a document on its own', () => {
    const found = errors(`query Shallow { viewer { id } }\nquery Deep ${nested(12)}`);
    expect(found.map((e) => [e.extensions.limit, e.extensions.actual, e.locations?.[0].line])).toEqual([['depth', 12, 2]]);
  });

  it('reaches an Apollo client as BAD_USER_INPUT with HTTP 400 through the hub’s formatError', async () => {
    const apollo = new ApolloServer({
      schema,
      validationRules: queryLimitRules(DEFAULT_QUERY_LIMITS),
      formatError: (formatted, error) => formatError(formatted, error, () => undefined),
    });
    await apollo.start();
    try {
      const res = await apollo.executeOperation({ query: nested(12) });
      expect(res.http.status).toBe(400);
      expect(res.body.kind === 'single' && res.body.singleResult.errors?.map((e) => e.extensions)).toEqual([
        { code: 'BAD_USER_INPUT', limit: 'depth', max: 10, actual: 12 },
      ]);
    } finally {
      await apollo.stop();
    }
  });
});
