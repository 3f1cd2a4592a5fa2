import { context, propagation, trace } from '@opentelemetry/api';
import type { OTLPTraceExporter as Exporter } from '@opentelemetry/exporter-trace-otlp-http';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { AlwaysOffSampler, BatchSpanProcessor, type SpanExporter } from '@opentelemetry/sdk-trace-base';
import { NodeTracerProvider } from '@opentelemetry/sdk-trace-node';
import { otlpTracesUrl, type TelemetryEnv } from './telemetry.env';
import { resetTracer } from './tracing';

export interface Tracing {
  /** True when spans leave the process (an OTLP endpoint or exporter was given). */
  exporting: boolean;
  forceFlush(): Promise<void>;
  shutdown(): Promise<void>;
}

let current: Tracing | null = null;

/**
 * Registers the process's tracer provider (AsyncLocalStorage context, W3C trace context). Trace
 * ids are always real (the SDK makes them before sampling), so logs and the delivery log can be
 * joined; spans are recorded and exported over OTLP/HTTP only when an endpoint (or, in tests, an
 * exporter) is given. Without one, nothing is recorded: a span that goes nowhere would cost the
 * hot path its attributes and objects for nothing. The hub's spans are made
 * by hand, so nothing has to load before other modules. The first call wins: the test stack runs
 * every "process" in one Node process and each start-up may call it.
 */
export function startTracing(serviceName: string, options: { url?: string | null; exporter?: SpanExporter } = {}): Tracing {
  if (current) return current;
  const exporter = options.exporter ?? (options.url ? otlpExporter(options.url) : null);
  const provider = new NodeTracerProvider({
    resource: resourceFromAttributes({ 'service.name': serviceName }),
    spanProcessors: exporter ? [new BatchSpanProcessor(exporter, { scheduledDelayMillis: 500 })] : [],
    // The default (parent-based, always on) when exporting; otherwise ids without recording.
    ...(exporter ? {} : { sampler: new AlwaysOffSampler() }),
  });
  provider.register();
  resetTracer();
  const tracing: Tracing = {
    exporting: !!exporter,
    forceFlush: () => provider.forceFlush(),
    shutdown: async () => {
      if (current === tracing) current = null;
      await provider.shutdown();
      // So a later startTracing (the next test) may register its own provider.
      trace.disable();
      context.disable();
      propagation.disable();
      resetTracer();
    },
  };
  current = tracing;
  return tracing;
}

/** Loaded only when exporting: most processes never need the exporter's modules (a few MB each). */
function otlpExporter(url: string): SpanExporter {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { OTLPTraceExporter } = require('@opentelemetry/exporter-trace-otlp-http') as { OTLPTraceExporter: typeof Exporter };
  return new OTLPTraceExporter({ url });
}

/** The bootstrap every process's main calls first: settings from its parsed environment. */
export function startProcessTracing(defaultServiceName: string, env: TelemetryEnv): Tracing | null {
  if (env.OTEL_SDK_DISABLED === 'true') return null;
  const tracing = startTracing(env.OTEL_SERVICE_NAME ?? defaultServiceName, { url: otlpTracesUrl(env) });
  // Spans still in the batch leave before the process does.
  process.once('beforeExit', () => void tracing.shutdown().catch(() => undefined));
  return tracing;
}
