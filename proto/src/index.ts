export * from '../gen/datahub/v1/event_pb';
export * from '../gen/datahub/v1/plan_pb';
export * from '../gen/datahub/v1/config_pb';
export * from '../gen/datahub/v1/sandbox_pb';
export * from '../gen/datahub/v1/destination_pb';
export * from './topology';
export * from './names';
export { create, toBinary, fromBinary, toJson, fromJson } from '@bufbuild/protobuf';
export * from './bulk.states';
