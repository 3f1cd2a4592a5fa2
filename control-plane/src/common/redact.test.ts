import { redact } from './redact';

describe('redact', () => {
  it('hides secret fields at any depth and keeps the rest', () => {
    const out = redact({ name: 'c', oauth1: { consumerKey: 'ck', consumerSecret: 's1', tokenSecret: 's2' }, apiKey: { key: 'k', in: 'query' }, list: [{ password: 'p' }] });
    expect(out).toEqual({ name: 'c', oauth1: { consumerKey: 'ck', consumerSecret: '[redacted]', tokenSecret: '[redacted]' }, apiKey: { key: '[redacted]', in: 'query' }, list: [{ password: '[redacted]' }] });
    expect(JSON.stringify(out)).not.toMatch(/s1|s2|"k"|"p"/);
  });
});
