import { randomBytes } from 'node:crypto';
import { fingerprint, openSecret, parseKeyring, sealSecret, SecretUnreadable, type SealedSecret } from './secret.box';

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

  it('refuses a ciphertext moved to another row', () => {
    const ring = parseKeyring(key('k1'));
    const sealed = sealSecret(ring, 'x', 'row-a');
    expect(() => openSecret(ring, sealed, 'row-b')).toThrow(SecretUnreadable);
  });

  /** The sealed secret with one bit of one envelope field flipped; the JSON wrapper stays valid, so only GCM can notice. */
  function flipBit(sealed: SealedSecret, field: string): SealedSecret {
    const envelope = JSON.parse(Buffer.from(sealed.ciphertext, 'base64').toString('utf8')) as Record<string, unknown>;
    const bytes = Buffer.from(envelope[field] as string, 'base64');
    bytes[0] ^= 0x01;
    return { ...sealed, ciphertext: Buffer.from(JSON.stringify({ ...envelope, [field]: bytes.toString('base64') })).toString('base64') };
  }

  it.each(['ct', 'iv', 'tag', 'dk', 'dkIv', 'dkTag'])('refuses a secret whose %s was tampered with, the envelope still well-formed', (field) => {
    const ring = parseKeyring(key('k1'));
    const sealed = sealSecret(ring, 'a secret long enough to span blocks', 'row-a');
    // Re-wrapping an untouched envelope the same way still opens: the refusal below comes from GCM, not from the wrapper.
    const rewrapped = { ...sealed, ciphertext: Buffer.from(JSON.stringify(JSON.parse(Buffer.from(sealed.ciphertext, 'base64').toString('utf8')))).toString('base64') };
    expect(openSecret(ring, rewrapped, 'row-a')).toBe('a secret long enough to span blocks');
    expect(() => openSecret(ring, flipBit(sealed, field), 'row-a')).toThrow(SecretUnreadable);
  });

  it('rejects master keys of the wrong size', () => {
    expect(() => parseKeyring('k1:c2hvcnQ=')).toThrow(/32 bytes/);
  });

  it('fingerprints without revealing the secret', () => {
    expect(fingerprint('abc')).toMatch(/^sha256:[0-9a-f]{16}$/);
    expect(fingerprint('abc')).not.toBe(fingerprint('abd'));
  });
});
