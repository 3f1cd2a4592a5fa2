export * from './manifest/manifest.types';
export * from './manifest/manifest.registry';
export * from './manifest/template';
export * from './secrets/secret.box';
export * from './secrets/credential.types';
export * from './secrets/token.codec';

export * from './net/outbound-url';
export * from './net/outbound.lookup';
export * from './http/connector.client';
export * from './http/call.failure';
export * from './http/auth.signer';
export * from './http/oauth2.tokens';
export * from './http/jwt.sign';
export * from './http/oauth2.refresh';
export * from './secrets/credential.vault';
export * from './bus/broker.connection';
export * from './bus/confirmed.publisher';
