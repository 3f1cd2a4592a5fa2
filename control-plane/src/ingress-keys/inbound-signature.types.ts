import { SIGNATURE_SCHEMES, type SignatureSchemeName } from '@datahub/proto';
import { Field, ID, InputType, Int, ObjectType } from 'type-graphql';
import { enumFromList } from '../common/enum-list';
import { Node } from '../common/node.types';
import { toGlobalId } from '../common/global-id';
import type { SignatureSecretEntity } from '../db/base.entities';

/** The names of SIGNATURE_SCHEMES (@datahub/proto), the list ingress verifies. */
export const SignatureScheme = enumFromList(SIGNATURE_SCHEMES, 'SignatureScheme', {
  values: {
    HMAC_SHA256_HEX: 'Hex HMAC-SHA256 of the raw body in a header you name (e.g. X-Signature)',
    STANDARD_WEBHOOKS: 'webhook-id / webhook-timestamp / webhook-signature (standardwebhooks.com), with timestamp tolerance',
    GITHUB: 'X-Hub-Signature-256: sha256=<hex>',
  },
});
export type SignatureScheme = SignatureSchemeName;

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
