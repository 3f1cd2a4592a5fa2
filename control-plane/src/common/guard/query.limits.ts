import {
  getNamedType,
  getNullableType,
  GraphQLError,
  isInterfaceType,
  isListType,
  isObjectType,
  Kind,
  SchemaMetaFieldDef,
  TypeMetaFieldDef,
  TypeNameMetaFieldDef,
  type ArgumentNode,
  type FieldNode,
  type GraphQLField,
  type GraphQLNamedType,
  type GraphQLSchema,
  type OperationDefinitionNode,
  type SelectionSetNode,
  type ValidationContext,
  type ValidationRule,
} from 'graphql';
import { DomainError } from '../errors';

export interface QueryLimits {
  maxDepth: number;
  maxAliases: number;
  maxComplexity: number;
  /** Fragment spreads written in one document: each one costs validation work even when its fields merge away. */
  maxFragmentSpreads: number;
}

export const DEFAULT_QUERY_LIMITS: Readonly<QueryLimits> = Object.freeze({ maxDepth: 10, maxAliases: 30, maxComplexity: 25_000, maxFragmentSpreads: 100 });

// Same page sizes as `pageSize` in ../relay.ts: the cost estimate must price a page as the resolver serves it.
export const DEFAULT_PAGE_SIZE = 20;
export const MAX_PAGE_SIZE = 100;

export type QueryLimitKind = 'depth' | 'aliases' | 'complexity' | 'fragmentSpreads';

/**
 * Carried as the GraphQLError's originalError: Apollo re-codes validation errors as
 * GRAPHQL_VALIDATION_FAILED, and formatError (../errors) restores code and details from a DomainError.
 */
export class QueryTooLarge extends DomainError {
  constructor(readonly limit: QueryLimitKind, readonly max: number, readonly actual: number, message: string) {
    super('BAD_USER_INPUT', message, { limit, max, actual });
  }
}

interface Measure {
  depth: number;
  aliases: number;
  complexity: number;
}

const NOTHING: Measure = { depth: 0, aliases: 0, complexity: 0 };

/** Validation rules (for Apollo's `validationRules`) rejecting operations over any of the limits. */
export function queryLimitRules(limits: QueryLimits): ValidationRule[] {
  return [
    limitRule('depth', limits.maxDepth, (actual, max) =>
      `Query depth ${actual} exceeds the limit of ${max}; select fewer nested levels, or fetch the deep part with a second query (e.g. by node id).`),
    limitRule('aliases', limits.maxAliases, (actual, max) =>
      `Query uses ${actual} aliases, over the limit of ${max}; ask for fewer aliased fields per request, or split the work across several requests.`),
    limitRule('complexity', limits.maxComplexity, (actual, max) =>
      `Query complexity ${actual} exceeds the limit of ${max}; ask for smaller pages (first: …) or fewer nested connections, and page through the rest.`),
    fragmentSpreadRule(limits.maxFragmentSpreads),
  ];
}

/**
 * Counts spreads as written, across the whole document: graphql-js merges a repeated spread at
 * execution, but validation (overlapping fields) still pays for each one, so 1,000 of them are work
 * the depth, alias and complexity figures never see.
 */
function fragmentSpreadRule(max: number): ValidationRule {
  const rule: ValidationRule = (context) => {
    let actual = 0;
    return {
      FragmentSpread() {
        actual += 1;
      },
      Document: {
        leave(doc) {
          if (actual <= max) return;
          const text = `Query uses ${actual} fragment spreads, over the limit of ${max}; spread each fragment once, or split the work across several requests.`;
          context.reportError(new GraphQLError(text, {
            nodes: doc,
            originalError: new QueryTooLarge('fragmentSpreads', max, actual, text),
            extensions: { code: 'BAD_USER_INPUT', limit: 'fragmentSpreads', max, actual },
          }));
        },
      },
    };
  };
  Object.defineProperty(rule, 'name', { value: 'MaxFragmentSpreadsRule' });
  return rule;
}

function limitRule(limit: keyof Measure, max: number, message: (actual: number, max: number) => string): ValidationRule {
  const rule: ValidationRule = (context) => ({
    OperationDefinition(op) {
      const actual = measureOperation(context, op)[limit as keyof Measure];
      if (actual > max) {
        const text = message(actual, max);
        context.reportError(new GraphQLError(text, {
          nodes: op,
          originalError: new QueryTooLarge(limit, max, actual, text),
          extensions: { code: 'BAD_USER_INPUT', limit, max, actual },
        }));
      }
      return false; // the walk below already covered this operation
    },
  });
  // Apollo and graphql-js name rules in nothing but stack traces; a name helps there.
  Object.defineProperty(rule, 'name', { value: `Max${limit[0].toUpperCase()}${limit.slice(1)}Rule` });
  return rule;
}

// validate() hands the same context to every rule: the three rules share one walk per operation.
const measured = new WeakMap<ValidationContext, Map<OperationDefinitionNode, Measure>>();

function measureOperation(context: ValidationContext, op: OperationDefinitionNode): Measure {
  let byOp = measured.get(context);
  if (!byOp) measured.set(context, (byOp = new Map()));
  let m = byOp.get(op);
  if (!m) byOp.set(op, (m = new OperationWalk(context).measure(op)));
  return m;
}

/**
 * One walk over an operation with its fragments expanded where they are spread. A fragment's
 * measure is memoised, so fragments spread many times cost no extra time; a fragment already being
 * walked counts as nothing (graphql's NoFragmentCyclesRule reports the cycle itself).
 */
class OperationWalk {
  private readonly schema: GraphQLSchema;
  private readonly fragments = new Map<string, Measure>();
  private readonly walking = new Set<string>();

  constructor(private readonly context: ValidationContext) {
    this.schema = context.getSchema();
  }

  measure(op: OperationDefinitionNode): Measure {
    return this.selectionSet(op.selectionSet, this.schema.getRootType(op.operation) ?? undefined, false);
  }

  /** `paged`: the selection set belongs to a paginated field, whose lists (edges) its `first` already priced. */
  private selectionSet(set: SelectionSetNode, parent: GraphQLNamedType | undefined, paged: boolean): Measure {
    let depth = 0;
    let aliases = 0;
    let complexity = 0;
    for (const sel of set.selections) {
      const m =
        sel.kind === Kind.FIELD ? this.field(sel, parent, paged)
        : sel.kind === Kind.INLINE_FRAGMENT ? this.selectionSet(sel.selectionSet, this.typeNamed(sel.typeCondition?.name.value) ?? parent, paged)
        : this.fragment(sel.name.value, paged);
      depth = Math.max(depth, m.depth);
      aliases += m.aliases;
      complexity += m.complexity;
    }
    return { depth, aliases, complexity };
  }

  private field(node: FieldNode, parent: GraphQLNamedType | undefined, paged: boolean): Measure {
    const alias = node.alias ? 1 : 0;
    // Introspection is governed by its own switch (HUB_GRAPHQL_INTROSPECTION); counted here, the
    // standard introspection query of GraphiQL or codegen (depth 15) would never pass.
    if (node.name.value === '__schema' || node.name.value === '__type') return { depth: 1, aliases: alias, complexity: 1 };
    const def = this.fieldDef(parent, node.name.value);
    if (!node.selectionSet) return { depth: 1, aliases: alias, complexity: 1 };
    const paginated = def?.args.some((a) => a.name === 'first') ?? false;
    const times = paginated ? pageSizeOf(node.arguments) : def && !paged && isListType(getNullableType(def.type)) ? DEFAULT_PAGE_SIZE : 1;
    const children = this.selectionSet(node.selectionSet, def ? getNamedType(def.type) : undefined, paginated);
    return { depth: 1 + children.depth, aliases: alias + children.aliases, complexity: 1 + times * children.complexity };
  }

  private fragment(name: string, paged: boolean): Measure {
    const key = `${paged ? 'paged:' : ''}${name}`;
    const known = this.fragments.get(key);
    if (known) return known;
    const def = this.context.getFragment(name);
    if (!def || this.walking.has(key)) return NOTHING;
    this.walking.add(key);
    const m = this.selectionSet(def.selectionSet, this.typeNamed(def.typeCondition.name.value), paged);
    this.walking.delete(key);
    this.fragments.set(key, m);
    return m;
  }

  private fieldDef(parent: GraphQLNamedType | undefined, name: string): GraphQLField<unknown, unknown> | undefined {
    if (name === TypeNameMetaFieldDef.name) return TypeNameMetaFieldDef;
    if (parent && parent === this.schema.getQueryType()) {
      if (name === SchemaMetaFieldDef.name) return SchemaMetaFieldDef;
      if (name === TypeMetaFieldDef.name) return TypeMetaFieldDef;
    }
    return isObjectType(parent) || isInterfaceType(parent) ? parent.getFields()[name] : undefined;
  }

  private typeNamed(name: string | undefined): GraphQLNamedType | undefined {
    return name === undefined ? undefined : this.schema.getType(name) ?? undefined;
  }
}

/**
 * The page a paginated field will serve: a literal `first`, capped like the resolver caps it.
 * Variables are not known during validation (Apollo even caches validated documents), so a
 * variable or a missing `first` is priced at the default page size.
 */
function pageSizeOf(args: readonly ArgumentNode[] | undefined): number {
  const first = args?.find((a) => a.name.value === 'first')?.value;
  if (first?.kind !== Kind.INT) return DEFAULT_PAGE_SIZE;
  return Math.min(Math.max(parseInt(first.value, 10), 0), MAX_PAGE_SIZE);
}
