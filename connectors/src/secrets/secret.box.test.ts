import { randomBytes } from 'node:crypto';
import { fingerprint, openSecret, parseKeyring, sealSecret, SecretUnreadable } from './secret.box';

const key = (id: string) => `${id}:${randomBytes(32).toString('base64')}`;

describe('secret box (AES-256-GCM envelope)', () => {
  it('round-trips a secret and records the master key id', () => {
    const ring = parseKeyring(key('k1'));
    const sealed = sealSecret(ring, '{"token":"s3cret"}', 'credential:1');
    expect(sealed.keyId).toBe('k1');
    expect(sealed.ciphertext).not.toContain('s3cret');
    expect(openSecret(ring, sealed, 'credential:1')).toBe('{"token":"s3cret"}');
  });

  it('keeps decrypting old secrets after a new master key becomes active', () => {
    const old = key('k1');
    const sealed = sealSecret(parseKeyring(old), 'x', 'row');
    const rotated = parseKeyring(`${key('k2')},${old}`);
    expect(rotated.activeKeyId).toBe('k2');
    expect(openSecret(rotated, sealed, 'row')).toBe('x');
  });

  it('refuses a ciphertext moved to another row or a tampered one', () => {
    const ring = parseKeyring(key('k1'));
    const sealed = sealSecret(ring, 'x', 'row-a');
    expect(() => openSecret(ring, sealed, 'row-b')).toThrow(SecretUnreadable);
    const flipped = { ...sealed, ciphertext: sealed.ciphertext.slice(0, -4) + 'AAA=' };
    expect(() => openSecret(ring, flipped, 'row-a')).toThrow(SecretUnreadable);
  });

  it('rejects master keys of the wrong size', () => {
    expect(() => parseKeyring('k1:c2hvcnQ=')).toThrow(/32 bytes/);
  });

  it('fingerprints without revealing the secret', () => {
    expect(fingerprint('abc')).toMatch(/^sha256:[0-9a-f]{16}$/);
    expect(fingerprint('abc')).not.toBe(fingerprint('abd'));
  });
});
