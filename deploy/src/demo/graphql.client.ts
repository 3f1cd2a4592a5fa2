/** A GraphQL call as a partner's script makes it: POST JSON with a bearer token. */
export interface GqlResult<T> {
  status: number;
  data?: T;
  errors?: { message: string; path?: string[]; extensions?: { code?: string; field?: string } }[];
}

/** Waits out RATE_LIMITED (429 + Retry-After) and tries again, as a well-behaved script should. */
export async function gql<T = Record<string, any>>(url: string, token: string | null, query: string, variables: Record<string, unknown> = {}): Promise<GqlResult<T>> {
  for (let attempt = 1; ; attempt++) {
    const res = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
      body: JSON.stringify({ query, variables }),
    });
    const body = (await res.json()) as Omit<GqlResult<T>, 'status'>;
    if (res.status !== 429 || attempt === 10) return { status: res.status, ...body };
    await new Promise((r) => setTimeout(r, Number(res.headers.get('retry-after') ?? 1) * 1000));
  }
}

/** The data of a call that must succeed; throws with the errors otherwise. */
export async function gqlOk<T = Record<string, any>>(url: string, token: string | null, query: string, variables: Record<string, unknown> = {}): Promise<T> {
  const r = await gql<T>(url, token, query, variables);
  if (r.errors?.length || !r.data) throw new Error(`GraphQL failed: ${JSON.stringify(r.errors)}`);
  return r.data;
}

/** Polls until `probe` returns a value (not undefined/false) or the time is up. */
export async function eventually<T>(probe: () => Promise<T | undefined | false> | T | undefined | false, timeoutMs = 20_000, stepMs = 100): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  while (Date.now() < deadline) {
    try {
      const v = await probe();
      if (v !== undefined && v !== false) return v as T;
    } catch (e) {
      last = e;
    }
    await new Promise((r) => setTimeout(r, stepMs));
  }
  throw new Error(`condition not met within ${timeoutMs} ms${last ? `: ${String(last)}` : ''}`);
}
