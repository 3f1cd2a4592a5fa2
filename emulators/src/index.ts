export type { AuthKind, EmulatorHandle, FaultInjector, FaultRule, RecordedRequest } from './emulator/emulator.types';

export { startBlueConic } from './blueconic/blueconic.server';
export { ALL_VISITORS_SEGMENT_ID } from './blueconic/blueconic.store';
export type { BlueConicClient, BlueConicHandle, BlueConicOptions, BlueConicProfile, BlueConicProfileInput } from './blueconic/blueconic.types';
export { DEFAULT_BLUECONIC_CLIENT } from './blueconic/blueconic.types';

export { startCopernica } from './copernica/copernica.server';
export type { CopernicaDatabaseConfig, CopernicaHandle, CopernicaOptions, CopernicaProfile } from './copernica/copernica.types';
export { DEFAULT_COPERNICA_DATABASE, DEFAULT_COPERNICA_TOKEN } from './copernica/copernica.types';

export { startActiveCampaign, DEFAULT_AC_RATE_LIMIT_PER_SEC } from './activecampaign/activecampaign.server';
export type { AcContact, AcField, AcList, ActiveCampaignHandle, ActiveCampaignOptions } from './activecampaign/activecampaign.types';
export { DEFAULT_AC_TOKEN } from './activecampaign/activecampaign.types';

export { verifyOAuth1Request, credentialLookup, hasOAuth1Parameters, DEFAULT_TOLERANCE_SEC } from './oauth1/oauth1.verify';
export type { OAuth1Credentials, OAuth1Failure, OAuth1Verification, OAuth1VerifyOptions } from './oauth1/oauth1.verify';
export { NonceCache } from './oauth1/oauth1.nonce';
export { signatureBaseString, baseStringUri, normalizeParameters } from './oauth1/oauth1.base-string';
export type { OAuth1Request } from './oauth1/oauth1.base-string';
export { percentEncode } from './oauth1/oauth1.encode';
export { computeSignature } from './oauth1/oauth1.signature';
export type { OAuth1SignatureMethod } from './oauth1/oauth1.signature';
export { signOAuth1Request } from './oauth1/oauth1.sign';
export type { OAuth1SignInput, OAuth1Signed } from './oauth1/oauth1.sign';

export { runEmulators } from './main';
export type { EmulatorsConfig, RunningEmulators } from './main';

export { startSink } from './sink/sink.server';
export type { SinkChannelConfig, SinkDelivery, SinkHandle, SinkOptions, SinkVerification } from './sink/sink.types';

export { startConnectProxy } from './proxy/connect.proxy';
export type { ConnectProxy, ConnectProxyOptions } from './proxy/connect.proxy';
