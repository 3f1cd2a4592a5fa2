import { AUTH_KINDS, type AuthKind } from '@datahub/connectors';
import { CREDENTIAL_STATUSES, type CredentialStatusName } from '@datahub/proto';
import { GraphQLJSONObject } from 'graphql-scalars';
import { Field, ID, InputType, Int, ObjectType, registerEnumType } from 'type-graphql';
import { enumFromList } from '../common/enum-list';
import { Node } from '../common/node.types';
import { toGlobalId } from '../common/global-id';
import type { CredentialEntity } from '../db/base.entities';

/** The names of AUTH_KINDS (@datahub/connectors), the kinds the signer applies. */
export const CredentialKind = enumFromList(AUTH_KINDS, 'CredentialKind');
export type CredentialKind = AuthKind;

export enum ApiKeyPlacement { HEADER = 'header', QUERY = 'query' }
registerEnumType(ApiKeyPlacement, { name: 'ApiKeyPlacement' });

export enum OAuth1SignatureMethod { HMAC_SHA1 = 'HMAC-SHA1', HMAC_SHA256 = 'HMAC-SHA256' }
registerEnumType(OAuth1SignatureMethod, { name: 'OAuth1SignatureMethod' });

export enum JwtAlgorithm { HS256 = 'HS256', RS256 = 'RS256', ES256 = 'ES256' }
registerEnumType(JwtAlgorithm, { name: 'JwtAlgorithm' });

/** The names of CREDENTIAL_STATUSES (@datahub/proto), the list the worker writes. */
export const CredentialStatus = enumFromList(CREDENTIAL_STATUSES, 'CredentialStatus', {
  description: 'FAILING after a test or delivery was refused for authentication (statusReason says why)',
});
export type CredentialStatus = CredentialStatusName;

@ObjectType({ description: 'The outcome of testCredential' })
export class CredentialTest {
  @Field() ok: boolean;
  @Field(() => Int, { nullable: true, description: 'HTTP status of the test call; null when it never got an answer' }) status: number | null;
  @Field() message: string;
  @Field() testedAt: Date;
}

@ObjectType({ implements: Node, description: 'A stored credential. Secrets never leave the hub: only kind, fingerprint and times.' })
export class Credential extends Node {
  @Field() name: string;
  @Field(() => CredentialKind) kind: CredentialKind;
  @Field({ description: 'sha256 prefix of the secret material, to tell credentials apart' }) fingerprint: string;
  @Field() createdAt: Date;
  @Field() updatedAt: Date;
  @Field(() => Date, { nullable: true }) lastUsedAt: Date | null;
  @Field(() => CredentialStatus) status: CredentialStatus;
  @Field(() => String, { nullable: true, description: 'Why it is FAILING, e.g. "token endpoint answered 401 invalid_client"; null while ACTIVE' }) statusReason: string | null;
  @Field(() => Date, { nullable: true, description: 'When status (or its reason) last changed; null if it never has' }) statusChangedAt: Date | null;
  @Field(() => Date, { nullable: true, description: 'When the secret stops working (e.g. an OAuth 2 refresh token), if known' }) expiresAt: Date | null;
  @Field(() => Date, { nullable: true }) rotatedAt: Date | null;
  @Field(() => CredentialTest, { nullable: true }) lastTest: CredentialTest | null;

  static from(e: CredentialEntity): Credential {
    return Object.assign(new Credential(), {
      id: toGlobalId('Credential', e.id), name: e.name, kind: e.kind as CredentialKind, fingerprint: e.fingerprint,
      createdAt: e.createdAt, updatedAt: e.updatedAt, lastUsedAt: e.lastUsedAt, status: e.status,
      statusReason: e.statusReason, statusChangedAt: e.statusChangedAt, expiresAt: e.expiresAt, rotatedAt: e.rotatedAt,
      lastTest: e.lastTest ? { ok: e.lastTest.ok, status: e.lastTest.status, message: e.lastTest.message, testedAt: new Date(e.lastTest.at) } : null,
    });
  }
}

@InputType()
export class ApiKeyInput {
  @Field() key: string;
  @Field(() => ApiKeyPlacement, { nullable: true, description: "Default: the connector's (e.g. Copernica: query access_token)" }) in?: ApiKeyPlacement;
  @Field({ nullable: true, description: 'Header or query parameter name' }) name?: string;
}

@InputType()
export class BearerInput {
  @Field() token: string;
}

@InputType()
export class BasicInput {
  @Field() username: string;
  @Field() password: string;
}

@InputType()
export class OAuth1Input {
  @Field() consumerKey: string;
  @Field() consumerSecret: string;
  @Field({ nullable: true }) token?: string;
  @Field({ nullable: true }) tokenSecret?: string;
  @Field(() => OAuth1SignatureMethod, { defaultValue: OAuth1SignatureMethod.HMAC_SHA1 }) signatureMethod: OAuth1SignatureMethod;
}

@InputType()
export class OAuth2ClientCredentialsInput {
  @Field() clientId: string;
  @Field() clientSecret: string;
  @Field({ nullable: true, description: "Token endpoint; default: the connector's token path below the sync's base URL" }) tokenUrl?: string;
  @Field({ nullable: true }) scope?: string;
}

@InputType()
export class OAuth2AuthorizationCodeInput {
  @Field() clientId: string;
  @Field() clientSecret: string;
  @Field() tokenUrl: string;
  @Field({ description: 'From the authorization-code handshake' }) accessToken: string;
  @Field() refreshToken: string;
  @Field(() => Date, { nullable: true, description: 'When accessToken expires; the hub refreshes it before' }) accessTokenExpiresAt?: Date;
  @Field({ nullable: true }) scope?: string;
}

@InputType({ description: 'The hub signs a short-lived JWT per request with this key.' })
export class JwtInput {
  @Field(() => JwtAlgorithm) algorithm: JwtAlgorithm;
  @Field({ description: 'HS256: a secret of 32+ characters; RS256/ES256: a PEM private key' }) signingKey: string;
  @Field({ nullable: true, description: 'kid header' }) keyId?: string;
  @Field(() => GraphQLJSONObject, { nullable: true, description: 'Claims such as iss, sub, aud' }) claims?: Record<string, unknown>;
  @Field(() => Int, { defaultValue: 300 }) ttlSec: number;
  @Field({ defaultValue: 'Authorization' }) headerName: string;
  @Field({ defaultValue: 'Bearer', description: 'Prefix before the token; empty for none' }) scheme: string;
}

@InputType({ description: 'Set exactly one of the kind fields.' })
export class CredentialSecretInput {
  @Field(() => ApiKeyInput, { nullable: true }) apiKey?: ApiKeyInput;
  @Field(() => BearerInput, { nullable: true }) bearer?: BearerInput;
  @Field(() => BasicInput, { nullable: true }) basic?: BasicInput;
  @Field(() => OAuth1Input, { nullable: true }) oauth1?: OAuth1Input;
  @Field(() => OAuth2ClientCredentialsInput, { nullable: true }) oauth2ClientCredentials?: OAuth2ClientCredentialsInput;
  @Field(() => OAuth2AuthorizationCodeInput, { nullable: true }) oauth2AuthorizationCode?: OAuth2AuthorizationCodeInput;
  @Field(() => JwtInput, { nullable: true }) jwt?: JwtInput;
}

@InputType()
export class CreateCredentialInput extends CredentialSecretInput {
  @Field() name: string;
  @Field({ nullable: true, description: 'Retrying with the same key returns the first result and creates nothing' }) idempotencyKey?: string;
}

@InputType({ description: 'Which connector account to make the test call against (the connector\'s test operation).' })
export class TestCredentialInput {
  @Field(() => ID) credentialId: string;
  @Field() connector: string;
  @Field() baseUrl: string;
  @Field(() => GraphQLJSONObject, { nullable: true }) params?: Record<string, unknown>;
}
