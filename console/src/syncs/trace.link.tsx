/**
 * A trace id as a link into the tracing UI. The API gives only the id today; the UI's address is
 * the console's setting (Vite env VITE_TRACE_URL, "{traceId}" replaced), Jaeger's by default.
 */
const TEMPLATE = (import.meta.env.VITE_TRACE_URL as string | undefined) ?? 'http://127.0.0.1:16686/trace/{traceId}';

export function TraceLink({ traceId }: { traceId?: string | null }) {
  if (!traceId) return <span className="muted">no trace</span>;
  return <a href={TEMPLATE.replace('{traceId}', encodeURIComponent(traceId))} target="_blank" rel="noreferrer" aria-label={`Open trace ${traceId}`}><code>{traceId.slice(0, 12)}…</code></a>;
}
