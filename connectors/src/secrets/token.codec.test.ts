import { mintToken, parseToken, tokenMatches } from './token.codec';

describe('hub tokens', () => {
  it('mints a recognisable token whose lookup id parses back', () => {
    const t = mintToken('dhk');
    expect(t.token).toMatch(/^dhk_[0-9A-Za-z]{46}$/);
    expect(parseToken(t.token, 'dhk')).toEqual({ lookup: t.lookup });
    expect(tokenMatches(t.token, t.hash)).toBe(true);
  });

  it('rejects a token of another kind, a typo (checksum) and garbage without a lookup', () => {
    const t = mintToken('dht');
    expect(parseToken(t.token, 'dhk')).toBeNull();
    const typo = t.token.slice(0, 20) + (t.token[20] === 'a' ? 'b' : 'a') + t.token.slice(21);
    expect(parseToken(typo, 'dht')).toBeNull();
    expect(parseToken('hello', 'dht')).toBeNull();
  });

  it('does not match another token with the same lookup id', () => {
    const a = mintToken('dhk');
    const b = mintToken('dhk');
    expect(tokenMatches(b.token, a.hash)).toBe(false);
  });

  it('never repeats itself across many mints', () => {
    const seen = new Set(Array.from({ length: 2000 }, () => mintToken('dht').token));
    expect(seen.size).toBe(2000);
  });
});
