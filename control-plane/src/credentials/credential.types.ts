import { Field, InputType, ObjectType, registerEnumType } from 'type-graphql';
import { Node } from '../common/node.types';
import { toGlobalId } from '../common/global-id';
import type { CredentialEntity } from '../db/base.entities';

export enum CredentialKind {
  API_KEY = 'api_key',
  BEARER = 'bearer',
  BASIC = 'basic',
  OAUTH1 = 'oauth1',
  OAUTH2_CLIENT_CREDENTIALS = 'oauth2_client_credentials',
}
registerEnumType(CredentialKind, { name: 'CredentialKind' });

export enum ApiKeyPlacement { HEADER = 'header', QUERY = 'query' }
registerEnumType(ApiKeyPlacement, { name: 'ApiKeyPlacement' });

export enum OAuth1SignatureMethod { HMAC_SHA1 = 'HMAC-SHA1', HMAC_SHA256 = 'HMAC-SHA256' }
registerEnumType(OAuth1SignatureMethod, { name: 'OAuth1SignatureMethod' });

@ObjectType({ implements: Node, description: 'A stored credential. Secrets never leave the hub: only kind, fingerprint and times.' })
export class Credential extends Node {
  @Field() name: string;
  @Field(() => CredentialKind) kind: CredentialKind;
  @Field({ description: 'sha256 prefix of the secret material, to tell credentials apart' }) fingerprint: string;
  @Field() createdAt: Date;
  @Field() updatedAt: Date;
  @Field(() => Date, { nullable: true }) lastUsedAt: Date | null;

  static from(e: CredentialEntity): Credential {
    return Object.assign(new Credential(), {
      id: toGlobalId('Credential', e.id), name: e.name, kind: e.kind as CredentialKind, fingerprint: e.fingerprint,
      createdAt: e.createdAt, updatedAt: e.updatedAt, lastUsedAt: e.lastUsedAt,
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

@InputType({ description: 'Set exactly one of the kind fields.' })
export class CreateCredentialInput {
  @Field() name: string;
  @Field(() => ApiKeyInput, { nullable: true }) apiKey?: ApiKeyInput;
  @Field(() => BearerInput, { nullable: true }) bearer?: BearerInput;
  @Field(() => BasicInput, { nullable: true }) basic?: BasicInput;
  @Field(() => OAuth1Input, { nullable: true }) oauth1?: OAuth1Input;
  @Field(() => OAuth2ClientCredentialsInput, { nullable: true }) oauth2ClientCredentials?: OAuth2ClientCredentialsInput;
}
