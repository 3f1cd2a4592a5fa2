import { useCallback, useEffect, useRef, useState } from 'react';
import type { TadaDocumentNode } from 'gql.tada';
import { ApiError, request } from './client';

export interface QueryState<R> { data?: R; error?: ApiError; loading: boolean; reload(): void }

const asApiError = (e: unknown) => (e instanceof ApiError ? e : new ApiError(String((e as Error)?.message ?? e), 'CLIENT_ERROR'));

/** Runs a query when mounted and whenever its variables change; `reload` runs it again. */
export function useQuery<R, V>(doc: TadaDocumentNode<R, V>, variables: V, skip = false): QueryState<R> {
  const [state, setState] = useState<{ data?: R; error?: ApiError; loading: boolean }>({ loading: !skip });
  const [tick, setTick] = useState(0);
  const key = JSON.stringify(variables);
  useEffect(() => {
    if (skip) return;
    let live = true;
    setState((s) => ({ ...s, loading: true }));
    request(doc, JSON.parse(key) as V).then(
      (data) => live && setState({ data, loading: false }),
      (e: unknown) => live && setState((s) => ({ data: s.data, error: asApiError(e), loading: false })),
    );
    return () => { live = false; };
  }, [doc, key, tick, skip]);
  return { ...state, reload: useCallback(() => setTick((t) => t + 1), []) };
}

export interface MutationState<R> { data?: R; error?: ApiError; running: boolean }

/** A mutation run on demand; `run` resolves with the data, or undefined after showing the error. */
export function useMutation<R, V>(doc: TadaDocumentNode<R, V>): [(variables: V) => Promise<R | undefined>, MutationState<R>, () => void] {
  const [state, setState] = useState<MutationState<R>>({ running: false });
  const run = useCallback(async (variables: V) => {
    setState({ running: true });
    try {
      const data = await request(doc, variables);
      setState({ data, running: false });
      return data;
    } catch (e) {
      setState({ error: asApiError(e), running: false });
      return undefined;
    }
  }, [doc]);
  return [run, state, useCallback(() => setState({ running: false }), [])];
}

interface Page<N> { edges: readonly { node: N; cursor: string }[]; pageInfo: { hasNextPage: boolean; endCursor: string | null }; totalCount: number }

/**
 * A Relay connection read page by page: the first page on mount (and when `key` changes), the next
 * ones appended by `more()`.
 */
export function useConnection<N>(fetchPage: (after: string | null) => Promise<Page<N>>, key: string) {
  const [state, setState] = useState<{ nodes: N[]; total: number; next: string | null; hasNext: boolean; loading: boolean; error?: ApiError }>(
    { nodes: [], total: 0, next: null, hasNext: false, loading: true });
  const fetchRef = useRef(fetchPage);
  fetchRef.current = fetchPage;
  const [tick, setTick] = useState(0);
  useEffect(() => {
    let live = true;
    setState((s) => ({ ...s, loading: true, error: undefined }));
    fetchRef.current(null).then(
      (p) => live && setState({ nodes: p.edges.map((e) => e.node), total: p.totalCount, next: p.pageInfo.endCursor, hasNext: p.pageInfo.hasNextPage, loading: false }),
      (e: unknown) => live && setState((s) => ({ ...s, loading: false, error: asApiError(e) })),
    );
    return () => { live = false; };
  }, [key, tick]);
  const more = useCallback(() => {
    setState((s) => {
      if (!s.hasNext || s.loading) return s;
      fetchRef.current(s.next).then(
        (p) => setState((t) => ({ nodes: [...t.nodes, ...p.edges.map((e) => e.node)], total: p.totalCount, next: p.pageInfo.endCursor, hasNext: p.pageInfo.hasNextPage, loading: false })),
        (e: unknown) => setState((t) => ({ ...t, loading: false, error: asApiError(e) })),
      );
      return { ...s, loading: true };
    });
  }, []);
  return { ...state, more, reload: useCallback(() => setTick((t) => t + 1), []) };
}
