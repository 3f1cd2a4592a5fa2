import { registerEnumType } from 'type-graphql';

/** `['dead_lettered', …]` as an enum object `{ DEAD_LETTERED: 'dead_lettered', … }`. */
export type EnumOf<T extends string> = { readonly [K in T as Uppercase<K>]: K };

/**
 * Registers a GraphQL enum whose values are the names in `list` (stored lower case, shown upper
 * case), so a list kept once (e.g. in @datahub/proto) is the enum: a name added there appears here.
 */
export function enumFromList<T extends string>(
  list: readonly T[],
  name: string,
  opts: { description?: string; values?: { [K in T as Uppercase<K>]?: string } } = {},
): EnumOf<T> {
  const values = Object.fromEntries(list.map((v) => [v.toUpperCase(), v])) as EnumOf<T>;
  const described = (opts.values ?? {}) as Record<string, string | undefined>;
  const valuesConfig = Object.fromEntries(list.map((v) => [v.toUpperCase(), { description: described[v.toUpperCase()] }]));
  registerEnumType(values, { name, description: opts.description, valuesConfig: valuesConfig as never });
  return values;
}
