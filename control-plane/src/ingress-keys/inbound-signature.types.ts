import { Field, ID, InputType, Int, ObjectType, registerEnumType } from 'type-graphql';
import { Node } from '../common/node.types';
import { toGlobalId } from '../common/global-id';
import type { SignatureSecretEntity } from '../db/base.entities';

export enum SignatureScheme {
  HMAC_SHA256_HEX = 'hmac_sha256_hex',
  STANDARD_WEBHOOKS = 'standard_webhooks',
  GITHUB = 'github',
}
registerEnumType(SignatureScheme, {
  name: 'SignatureScheme',
  valuesConfig: {
    HMAC_SHA256_HEX: { description: 'Hex HMAC-SHA256 of the raw body in a header you name (e.g. X-Signature)' },
    STANDARD_WEBHOOKS: { description: 'webhook-id / webhook-timestamp / webhook-signature (standardwebhooks.com), with timestamp tolerance' },
    GITHUB: { description: 'X-Hub-Signature-256: sha256=<hex>' },
  },
});

@ObjectType({ implements: Node })
export class InboundSignatureSecret extends Node {
  @Field() fingerprint: string;
  @Field() createdAt: Date;
  @Field(() => Date, { nullable: true, description: 'Stops being accepted at this time (rotation)' }) expiresAt: Date | null;

  static from(e: SignatureSecretEntity): InboundSignatureSecret {
    return Object.assign(new InboundSignatureSecret(), { id: toGlobalId('SignatureSecret', e.id), fingerprint: e.fingerprint, createdAt: e.createdAt, expiresAt: e.expiresAt });
  }
}

@ObjectType({ description: 'How ingress verifies that a webhook comes from the origin' })
export class InboundSignature {
  @Field(() => SignatureScheme) scheme: SignatureScheme;
  @Field(() => String, { nullable: true }) header: string | null;
  @Field(() => Int) toleranceSec: number;
  @Field(() => [InboundSignatureSecret], { description: 'Secrets accepted now (several during a rotation)' }) secrets: InboundSignatureSecret[];
}

@InputType()
export class SetInboundSignatureInput {
  @Field(() => ID) syncId: string;
  @Field(() => SignatureScheme) scheme: SignatureScheme;
  @Field({ nullable: true, description: 'HMAC_SHA256_HEX only: the header name (default X-Signature)' }) header?: string;
  @Field(() => Int, { defaultValue: 300, description: 'STANDARD_WEBHOOKS: allowed clock difference' }) toleranceSec: number;
}

@InputType()
export class AddInboundSignatureSecretInput {
  @Field(() => ID) syncId: string;
  @Field({ nullable: true, description: "The origin's secret; generated when absent (Standard Webhooks: whsec_…)" }) secret?: string;
  @Field(() => Int, { nullable: true, description: 'Let the other secrets expire after this many seconds (rotation overlap)' }) retireOthersAfterSec?: number;
}

@ObjectType()
export class AddInboundSignatureSecretPayload {
  @Field({ description: 'Shown once: configure it in the origin platform' }) secret: string;
  @Field(() => InboundSignatureSecret) signatureSecret: InboundSignatureSecret;
}
