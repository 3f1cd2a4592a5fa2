/** A delivery's trace, linked to the tracing UI at the address the API gives (HUB_TRACE_URL_TEMPLATE). */
export function TraceLink({ traceId, traceUrl }: { traceId?: string | null; traceUrl?: string | null }) {
  if (!traceId) return <span className="muted">no trace</span>;
  if (!traceUrl) return <code title="No tracing UI is configured">{traceId.slice(0, 12)}…</code>;
  return <a href={traceUrl} target="_blank" rel="noreferrer" aria-label={`Open trace ${traceId}`}><code>{traceId.slice(0, 12)}…</code></a>;
}
