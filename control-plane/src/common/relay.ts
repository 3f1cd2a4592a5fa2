import { ClassType, Field, ObjectType, Int, ArgsType, registerEnumType } from 'type-graphql';
import { InvalidInput } from './errors';

@ObjectType()
export class PageInfo {
  @Field() hasNextPage: boolean;
  @Field(() => String, { nullable: true }) endCursor: string | null;
}

@ArgsType()
export class ConnectionArgs {
  @Field(() => Int, { nullable: true, description: 'Page size, 1..100 (default 20)' }) first?: number;
  @Field(() => String, { nullable: true, description: 'endCursor of the previous page' }) after?: string;
}

export interface Page<T> {
  edges: { cursor: string; node: T }[];
  pageInfo: PageInfo;
  /** A function is called only when the query selects totalCount: a COUNT over a big tenant costs more than its page. */
  totalCount: number | (() => Promise<number>);
}

/** Generic Relay connection type; the name is `<Node>Connection`. */
export function Connection<T extends object>(node: ClassType<T>) {
  @ObjectType(`${node.name}Edge`)
  class Edge {
    @Field() cursor: string;
    @Field(() => node) node: T;
  }
  @ObjectType()
  abstract class ConnectionType {
    @Field(() => [Edge]) edges: Edge[];
    @Field(() => PageInfo) pageInfo: PageInfo;
    totalCount: Page<T>['totalCount'];
    @Field(() => Int, { name: 'totalCount' })
    count(): number | Promise<number> {
      return typeof this.totalCount === 'function' ? this.totalCount() : this.totalCount;
    }
  }
  return ConnectionType;
}

/** Keyset pagination over (created_at, id): the cursor is opaque to clients. */
export interface Keyset { createdAt: Date; id: string }

export function encodeCursor(k: Keyset): string {
  return Buffer.from(JSON.stringify([k.createdAt.toISOString(), k.id])).toString('base64url');
}

export function decodeCursor(cursor: string | undefined): Keyset | null {
  if (!cursor) return null;
  try {
    const [at, id] = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as [string, string];
    const createdAt = new Date(at);
    if (Number.isNaN(createdAt.getTime()) || typeof id !== 'string') throw new Error('bad');
    return { createdAt, id };
  } catch {
    throw new InvalidInput('after', 'after is not a cursor returned by this API');
  }
}

/** Keyset pagination over text columns (e.g. host, target): the cursor holds the last row's values. */
export function encodeTextCursor(values: string[]): string {
  return Buffer.from(JSON.stringify(values)).toString('base64url');
}

export function decodeTextCursor(cursor: string | undefined, arity: number): string[] | null {
  if (!cursor) return null;
  try {
    const values = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as unknown;
    if (!Array.isArray(values) || values.length !== arity || !values.every((v) => typeof v === 'string')) throw new Error('bad');
    return values as string[];
  } catch {
    throw new InvalidInput('after', 'after is not a cursor returned by this API');
  }
}

export function pageSize(first: number | undefined): number {
  if (first === undefined || first === null) return 20;
  if (!Number.isInteger(first) || first < 1 || first > 100) throw new InvalidInput('first', 'first must be between 1 and 100');
  return first;
}

export enum ListOrder { CREATED_AT_ASC = 'ASC', CREATED_AT_DESC = 'DESC' }
registerEnumType(ListOrder, { name: 'ListOrder', description: 'Lists are keyset-paginated by creation time' });
