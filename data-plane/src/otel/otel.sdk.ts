import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { NodeSDK } from '@opentelemetry/sdk-node';
import { BatchSpanProcessor, type SpanExporter } from '@opentelemetry/sdk-trace-base';

/**
 * Starts the OpenTelemetry SDK with an OTLP/HTTP trace exporter (Jaeger takes OTLP on :4318).
 * The hub's spans are made by hand (ingress receive, publish, consume, fetch, transform, deliver)
 * and linked through W3C headers in HTTP and AMQP, so no auto-instrumentation is needed for the trace.
 */
export function startTracing(serviceName: string, options: { url?: string; exporter?: SpanExporter; export?: boolean } = {}): NodeSDK {
  // Without export, spans still get real trace ids: logs and the delivery log carry them.
  const exporter = options.export === false ? null : (options.exporter ?? new OTLPTraceExporter(options.url ? { url: options.url } : {}));
  const sdk = new NodeSDK({
    resource: resourceFromAttributes({ 'service.name': serviceName }),
    spanProcessors: exporter ? [new BatchSpanProcessor(exporter, { scheduledDelayMillis: 500 })] : [],
    instrumentations: [],
  });
  sdk.start();
  return sdk;
}
