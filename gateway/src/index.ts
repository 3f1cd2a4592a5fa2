export { startGateway, routeFor, type Gateway } from './gateway.server';
export { clientAddress, parseTrustedProxies } from './client.address';
export { loadGatewayEnv, type GatewayEnv } from './env';
