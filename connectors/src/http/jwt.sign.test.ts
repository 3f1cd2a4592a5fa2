import { createHmac, generateKeyPairSync, verify } from 'node:crypto';
import { checkJwtKey, signJwt } from './jwt.sign';

const parts = (jwt: string) => jwt.split('.').map((p, i) => (i < 2 ? JSON.parse(Buffer.from(p, 'base64url').toString()) : p));
const base = { claims: { iss: 'datahub', aud: 'partner' }, ttlSec: 300, headerName: 'Authorization', scheme: 'Bearer' };

describe('JWT credentials', () => {
  it('signs HS256 with the claims, iat and exp', () => {
    const secret = 'x'.repeat(32);
    const jwt = signJwt({ ...base, algorithm: 'HS256', signingKey: secret, keyId: 'k1' }, 1_700_000_000_000);
    const [header, payload, sig] = parts(jwt);
    expect(header).toEqual({ alg: 'HS256', typ: 'JWT', kid: 'k1' });
    expect(payload).toMatchObject({ iss: 'datahub', aud: 'partner', iat: 1_700_000_000, exp: 1_700_000_300 });
    const [h, p] = jwt.split('.');
    expect(sig).toBe(createHmac('sha256', secret).update(`${h}.${p}`).digest('base64url'));
  });

  it.each([['RS256', 'rsa', {}], ['ES256', 'ec', { namedCurve: 'P-256' }]] as const)('signs %s verifiably with the public key', (alg, type, opts) => {
    const { privateKey, publicKey } = generateKeyPairSync(type as 'rsa', { modulusLength: 2048, ...opts } as never);
    const pem = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
    expect(checkJwtKey(alg, pem)).toBeNull();
    const jwt = signJwt({ ...base, algorithm: alg, signingKey: pem });
    const [h, p, s] = jwt.split('.');
    const ok = verify('sha256', Buffer.from(`${h}.${p}`), alg === 'ES256' ? { key: publicKey, dsaEncoding: 'ieee-p1363' } : publicKey, Buffer.from(s!, 'base64url'));
    expect(ok).toBe(true);
  });

  it('says when a key does not fit the algorithm', () => {
    expect(checkJwtKey('HS256', 'short')).toMatch(/32 characters/);
    expect(checkJwtKey('RS256', 'not a pem')).toMatch(/PEM/);
  });
});
