export { startGateway, clientAddress, routeFor, type Gateway } from './gateway.server';
export { loadGatewayEnv, type GatewayEnv } from './env';
