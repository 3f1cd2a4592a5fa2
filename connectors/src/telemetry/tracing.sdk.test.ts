import { ROOT_CONTEXT, trace } from '@opentelemetry/api';
import { InMemorySpanExporter } from '@opentelemetry/sdk-trace-base';
import { inSpan, traceHeaders } from './tracing';
import { startTracing } from './tracing.sdk';
import { otlpTracesUrl } from './telemetry.env';

describe('tracing bootstrap', () => {
  it('gives real trace ids and W3C headers when nothing is exported', async () => {
    const tracing = startTracing('unit');
    try {
      expect(tracing.exporting).toBe(false);
      const ids = await inSpan('outer', { parent: ROOT_CONTEXT }, async (span, ctx) => {
        const inner = await inSpan('inner', { parent: ctx }, async (s) => s.spanContext());
        // Passed by hand, never made active (no AsyncLocalStorage, no per-promise hook).
        return { outer: span.spanContext(), inner, headers: traceHeaders(ctx), recording: span.isRecording(), active: trace.getActiveSpan() };
      });
      expect(ids.active).toBeUndefined();
      expect(ids.outer.traceId).toMatch(/^[0-9a-f]{32}$/);
      expect(ids.outer.traceId).not.toMatch(/^0+$/);
      expect(ids.inner.traceId).toBe(ids.outer.traceId);
      // Flag 00: nothing is recorded when nothing is exported, but the ids travel all the same.
      expect(ids.headers.traceparent).toBe(`00-${ids.outer.traceId}-${ids.outer.spanId}-00`);
      expect(ids.recording).toBe(false);
    } finally {
      await tracing.shutdown();
    }
    expect(trace.getTracer('x').startSpan('after').spanContext().traceId).toMatch(/^0+$/); // shut down: no provider left
  });

  it('exports to the given exporter, and the first start wins', async () => {
    const exporter = new InMemorySpanExporter();
    const tracing = startTracing('unit', { exporter });
    try {
      expect(startTracing('other')).toBe(tracing);
      await inSpan('exported', { parent: ROOT_CONTEXT, attributes: { 'hub.outcome': 'ok' } }, async () => undefined);
      await tracing.forceFlush();
      expect(exporter.getFinishedSpans().map((s) => [s.name, s.resource.attributes['service.name']])).toEqual([['exported', 'unit']]);
    } finally {
      await tracing.shutdown();
    }
  });

  it('reads the OTLP endpoint the way the OpenTelemetry spec names it', () => {
    expect(otlpTracesUrl({ OTEL_SDK_DISABLED: 'false' })).toBeNull();
    expect(otlpTracesUrl({ OTEL_SDK_DISABLED: 'false', OTEL_EXPORTER_OTLP_ENDPOINT: 'http://127.0.0.1:4318/' })).toBe('http://127.0.0.1:4318/v1/traces');
    expect(otlpTracesUrl({ OTEL_SDK_DISABLED: 'false', OTEL_EXPORTER_OTLP_ENDPOINT: 'http://a:4318', OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'http://b:4318/x' })).toBe('http://b:4318/x');
  });
});
