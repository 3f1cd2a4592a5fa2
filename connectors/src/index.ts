export * from './manifest/manifest.types';
export * from './manifest/manifest.registry';
export * from './manifest/template';
export * from './secrets/secret.box';
export * from './secrets/credential.types';
export * from './secrets/token.codec';

export * from './net/outbound-url';
