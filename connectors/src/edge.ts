/**
 * What the gateway (the public edge) uses of this package: telemetry, the inbound-key format and the
 * body reading and 413 helpers. Its own entry point (`@datahub/connectors/dist/edge`), so the gateway does not load
 * the manifests, HTTP clients, AMQP and secrets code it never runs: about 8 MB of its RSS, against
 * a goal of 100 MB under load (bench/README.md). Everything here is also exported by the index.
 */
export * from './telemetry/tracing';
export * from './telemetry/tracing.sdk';
export * from './telemetry/telemetry.env';
export * from './telemetry/metrics.registry';
export * from './telemetry/metrics.hub';
export * from './secrets/token.codec';
export * from './http/body.discard';
export * from './http/body.read';
