import { print } from '@0no-co/graphql.web';
import type { TadaDocumentNode } from 'gql.tada';
import { session } from './session';

/** What the API answered, with its stable code (`extensions.code`, or the gateway's error code). */
export class ApiError extends Error {
  constructor(message: string, readonly code: string, readonly field?: string, readonly more: ApiError[] = [], readonly extensions: Record<string, unknown> = {}) {
    super(message);
  }
}

interface GraphQLErrorBody { message: string; extensions?: { code?: string; field?: string } & Record<string, unknown> }

export const GRAPHQL_URL = '/graphql';

function toApiError(errors: GraphQLErrorBody[]): ApiError {
  const all = errors.map((e) => new ApiError(e.message, e.extensions?.code ?? 'UNKNOWN', e.extensions?.field, [], e.extensions ?? {}));
  const [first] = all;
  return new ApiError(first!.message, first!.code, first!.field, all.slice(1), first!.extensions);
}

/** One GraphQL call with the session's token. Rejects with an ApiError carrying the API's code. */
export async function request<R, V>(doc: TadaDocumentNode<R, V>, variables: V, token = session.token()): Promise<R> {
  let res: Response;
  try {
    res = await fetch(GRAPHQL_URL, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
      body: JSON.stringify({ query: print(doc), variables }),
    });
  } catch (err) {
    throw new ApiError(`The hub is not reachable: ${(err as Error).message}`, 'NETWORK_ERROR');
  }
  const text = await res.text();
  let body: { data?: R; errors?: GraphQLErrorBody[]; error?: { code: string; message: string } };
  try {
    body = JSON.parse(text);
  } catch {
    throw new ApiError(`The hub answered ${res.status} with a body that is not JSON`, `HTTP_${res.status}`);
  }
  if (body.error) throw new ApiError(body.error.message, body.error.code);
  if (body.errors?.length) throw toApiError(body.errors);
  if (!body.data) throw new ApiError(`The hub answered ${res.status} without data`, `HTTP_${res.status}`);
  return body.data;
}
