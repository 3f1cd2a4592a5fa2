import { checkOutboundUrl, credentialAad, fingerprint, sealSecret, type CredentialSecret, type Keyring } from '@datahub/connectors';
import { randomUUID } from 'node:crypto';
import { CredentialEntity } from '../db/base.entities';
import { InvalidInput } from '../common/errors';
import type { TenantScope } from '../common/tenant.scope';
import { requireName, requireText } from '../common/validate';
import type { CreateCredentialInput } from './credential.types';

export class CredentialService {
  constructor(private readonly keyring: Keyring, private readonly allowHosts: Set<string>) {}

  async create(scope: TenantScope, input: CreateCredentialInput): Promise<CredentialEntity> {
    const name = requireName(input.name, 'input.name');
    const secret = this.secretFrom(input);
    const id = randomUUID();
    const plaintext = JSON.stringify(secret);
    const sealed = sealSecret(this.keyring, plaintext, credentialAad(scope.tenantId, id));
    const now = new Date();
    return scope.repo(CredentialEntity).save({
      id, tenantId: scope.tenantId, name, kind: secret.kind, secretCiphertext: sealed.ciphertext, keyId: sealed.keyId,
      fingerprint: fingerprint(plaintext), createdAt: now, updatedAt: now, lastUsedAt: null,
    });
  }

  /** Exactly one kind; every required secret present and within limits. */
  private secretFrom(input: CreateCredentialInput): CredentialSecret {
    const given = (['apiKey', 'bearer', 'basic', 'oauth1', 'oauth2ClientCredentials'] as const).filter((k) => input[k]);
    if (given.length !== 1) {
      throw new InvalidInput('input', 'Set exactly one of apiKey, bearer, basic, oauth1, oauth2ClientCredentials');
    }
    const f = (name: string) => `input.${given[0]}.${name}`;
    if (input.apiKey) {
      const { key, in: placement, name } = input.apiKey;
      if (name !== undefined && name !== null && !/^[A-Za-z0-9_.-]{1,64}$/.test(name)) throw new InvalidInput(f('name'), 'name must be a header or query parameter name');
      return { kind: 'api_key', key: requireText(key, f('key')), ...(placement ? { in: placement } : {}), ...(name ? { name } : {}) };
    }
    if (input.bearer) return { kind: 'bearer', token: requireText(input.bearer.token, f('token')) };
    if (input.basic) {
      return { kind: 'basic', username: requireText(input.basic.username, f('username')), password: requireText(input.basic.password, f('password')) };
    }
    if (input.oauth1) {
      const o = input.oauth1;
      if (!!o.token !== !!o.tokenSecret) throw new InvalidInput(f('tokenSecret'), 'token and tokenSecret go together');
      return {
        kind: 'oauth1', consumerKey: requireText(o.consumerKey, f('consumerKey')), consumerSecret: requireText(o.consumerSecret, f('consumerSecret')),
        ...(o.token ? { token: o.token, tokenSecret: o.tokenSecret } : {}), signatureMethod: o.signatureMethod,
      };
    }
    const o = input.oauth2ClientCredentials!;
    if (o.tokenUrl) {
      const verdict = checkOutboundUrl(o.tokenUrl, this.allowHosts);
      if (!verdict.ok) throw new InvalidInput(f('tokenUrl'), `tokenUrl ${verdict.reason}`);
    }
    return {
      kind: 'oauth2_client_credentials', clientId: requireText(o.clientId, f('clientId')), clientSecret: requireText(o.clientSecret, f('clientSecret')),
      ...(o.tokenUrl ? { tokenUrl: o.tokenUrl } : {}), ...(o.scope ? { scope: o.scope } : {}),
    };
  }
}
