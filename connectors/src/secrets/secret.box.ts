import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';

/**
 * Envelope encryption with AES-256-GCM: every secret gets its own data key, which is itself
 * encrypted with a master key named by `keyId`. Rotating the master key means adding a new key
 * to the keyring (old ids keep decrypting) and re-wrapping data keys at leisure.
 * The associated data binds a ciphertext to its row, so it cannot be copied onto another one.
 */
export interface Keyring {
  activeKeyId: string;
  keys: Map<string, Buffer>;
}

export interface SealedSecret {
  keyId: string;
  /** base64 JSON: wrapped data key + nonce + tag + ciphertext. */
  ciphertext: string;
}

interface Envelope { v: 1; dk: string; dkIv: string; dkTag: string; iv: string; tag: string; ct: string }

export class SecretUnreadable extends Error {
  constructor(reason: string) {
    super(`secret cannot be decrypted: ${reason}`);
  }
}

/** Parses `HUB_MASTER_KEYS` (`id:base64key,id2:base64key`); the first entry is the active key. */
export function parseKeyring(spec: string): Keyring {
  const keys = new Map<string, Buffer>();
  let activeKeyId = '';
  for (const entry of spec.split(',').map((s) => s.trim()).filter(Boolean)) {
    const [id, b64] = entry.split(':');
    const key = Buffer.from(b64 ?? '', 'base64');
    if (!id || key.length !== 32) throw new Error(`master key "${id ?? ''}" must be id:base64 of 32 bytes`);
    keys.set(id, key);
    activeKeyId ||= id;
  }
  if (!activeKeyId) throw new Error('the keyring is empty');
  return { activeKeyId, keys };
}

function gcm(key: Buffer, plaintext: Buffer, aad: string) {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  cipher.setAAD(Buffer.from(aad));
  const ct = Buffer.concat([cipher.update(plaintext), cipher.final()]);
  return { iv, ct, tag: cipher.getAuthTag() };
}

function ungcm(key: Buffer, iv: string, tag: string, ct: string, aad: string): Buffer {
  const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(iv, 'base64'));
  decipher.setAAD(Buffer.from(aad));
  decipher.setAuthTag(Buffer.from(tag, 'base64'));
  return Buffer.concat([decipher.update(Buffer.from(ct, 'base64')), decipher.final()]);
}

export function sealSecret(keyring: Keyring, plaintext: string, aad: string): SealedSecret {
  const master = keyring.keys.get(keyring.activeKeyId)!;
  const dataKey = randomBytes(32);
  const wrapped = gcm(master, dataKey, aad);
  const body = gcm(dataKey, Buffer.from(plaintext, 'utf8'), aad);
  const envelope: Envelope = {
    v: 1,
    dk: wrapped.ct.toString('base64'), dkIv: wrapped.iv.toString('base64'), dkTag: wrapped.tag.toString('base64'),
    iv: body.iv.toString('base64'), tag: body.tag.toString('base64'), ct: body.ct.toString('base64'),
  };
  return { keyId: keyring.activeKeyId, ciphertext: Buffer.from(JSON.stringify(envelope)).toString('base64') };
}

export function openSecret(keyring: Keyring, sealed: SealedSecret, aad: string): string {
  const master = keyring.keys.get(sealed.keyId);
  if (!master) throw new SecretUnreadable(`master key ${sealed.keyId} is not in the keyring`);
  try {
    const e = JSON.parse(Buffer.from(sealed.ciphertext, 'base64').toString('utf8')) as Envelope;
    const dataKey = ungcm(master, e.dkIv, e.dkTag, e.dk, aad);
    return ungcm(dataKey, e.iv, e.tag, e.ct, aad).toString('utf8');
  } catch {
    throw new SecretUnreadable('ciphertext, key or row binding does not match');
  }
}

/** A short, non-reversible name for a secret that GraphQL can show ("sha256:1a2b…"). */
export function fingerprint(plaintext: string): string {
  return `sha256:${createHash('sha256').update(plaintext).digest('hex').slice(0, 16)}`;
}

/** The associated data that binds a credential's sealed secret to its row; both planes use it. */
export const credentialAad = (tenantId: string, credentialId: string) => `credential:${tenantId}:${credentialId}`;

/** The same for an inbound signature secret (sync_signature_secrets). */
export const signatureSecretAad = (tenantId: string, secretId: string) => `signature:${tenantId}:${secretId}`;

/** The same for a webhook destination's signing secret (destination_secrets). */
export const destinationSecretAad = (tenantId: string, secretId: string) => `destination-secret:${tenantId}:${secretId}`;

/** The same for a webhook destination's custom headers (destinations.headers_ciphertext). */
export const destinationHeadersAad = (tenantId: string, destinationId: string) => `destination-headers:${tenantId}:${destinationId}`;
