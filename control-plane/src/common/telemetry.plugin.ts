import type { ApolloServerPlugin } from '@apollo/server';
import { Attr, graphqlMetrics, tracer } from '@datahub/connectors';
import { context, SpanKind, SpanStatusCode } from '@opentelemetry/api';

/**
 * One span and one latency observation per GraphQL operation, named by its type and name. The
 * parent is the gateway's span (the request runs inside the context its traceparent carries).
 * Variables and the query text are never recorded: they may hold credentials.
 */
export function telemetryPlugin(): ApolloServerPlugin {
  const metrics = graphqlMetrics();
  return {
    async requestDidStart() {
      const started = performance.now();
      const span = tracer.startSpan('graphql', { kind: SpanKind.SERVER }, context.active());
      let type = 'unknown';
      let name: string | null = null;
      return {
        async didResolveOperation({ operation, operationName }) {
          type = operation?.operation ?? 'unknown';
          name = operationName ?? null;
          span.updateName(`graphql ${type} ${name ?? 'anonymous'}`);
          span.setAttributes({ 'graphql.operation.type': type, 'graphql.operation.name': name ?? '' });
        },
        async willSendResponse({ response, errors }) {
          const single = response.body.kind === 'single' ? response.body.singleResult : null;
          const failed = !!errors?.length || !!single?.errors?.length;
          const code = single?.errors?.[0]?.extensions?.code;
          span.setAttribute(Attr.outcome, failed ? 'error' : 'ok');
          if (typeof code === 'string') span.setAttribute('graphql.error.code', code);
          if (failed) span.setStatus({ code: SpanStatusCode.ERROR });
          span.end();
          metrics.observe(type, name, !failed, (performance.now() - started) / 1000);
        },
      };
    },
  };
}
