import { createHmac } from 'node:crypto';
import { verifySignature, type SignatureConfig } from './signature.verify';

const cfg = (over: Partial<SignatureConfig>): SignatureConfig => ({ scheme: 'hmac_sha256_hex', header: 'x-signature', secrets: [], toleranceSec: 300, ...over });

describe('inbound signature verification', () => {
  describe('Standard Webhooks (the specification\'s published vector)', () => {
    const secret = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';
    const body = Buffer.from('{"test": 2432232314}');
    const headers = { 'webhook-id': 'msg_p5jXN8AQM9LWM0D4loKWxJek', 'webhook-timestamp': '1614265330', 'webhook-signature': 'v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=' };
    const at = 1614265330 * 1000;
    const sw = cfg({ scheme: 'standard_webhooks', secrets: [secret] });

    it('accepts the vector', () => expect(verifySignature(sw, headers, body, at)).toEqual({ ok: true }));
    it('accepts it among several signatures and with the new secret added during a rotation', () => {
      const h = { ...headers, 'webhook-signature': `v1,AAAA v1a,xyz ${headers['webhook-signature']}` };
      expect(verifySignature({ ...sw, secrets: ['whsec_' + Buffer.alloc(24, 7).toString('base64'), secret] }, h, body, at).ok).toBe(true);
    });
    it('refuses a changed body, an old timestamp and missing headers', () => {
      expect(verifySignature(sw, headers, Buffer.from('{"test": 2432232315}'), at)).toMatchObject({ code: 'signature_invalid' });
      expect(verifySignature(sw, headers, body, at + 301_000)).toMatchObject({ code: 'timestamp_invalid' });
      expect(verifySignature(sw, { ...headers, 'webhook-id': undefined }, body, at)).toMatchObject({ code: 'signature_missing' });
    });
  });

  describe('GitHub X-Hub-Signature-256 (GitHub\'s documented example)', () => {
    const gh = cfg({ scheme: 'github', secrets: ["It's a Secret to Everybody"] });
    const body = Buffer.from('Hello, World!');
    it('accepts the documented signature', () => {
      expect(verifySignature(gh, { 'x-hub-signature-256': 'sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17' }, body)).toEqual({ ok: true });
    });
    it('refuses it without the sha256= prefix or with another secret', () => {
      expect(verifySignature(gh, { 'x-hub-signature-256': '757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17' }, body).ok).toBe(false);
      expect(verifySignature({ ...gh, secrets: ['other'] }, { 'x-hub-signature-256': 'sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17' }, body).ok).toBe(false);
    });
  });

  describe('HMAC-SHA256 hex in a configurable header (the webhooks guide\'s scheme)', () => {
    const body = Buffer.from('{"id":"1"}');
    const sig = createHmac('sha256', 'guide-secret').update(body).digest('hex');
    const h = cfg({ header: 'x-sportsstack-signature', secrets: ['old', 'guide-secret'] });
    it('accepts the digest in the configured header, in either case, with any active secret', () => {
      expect(verifySignature(h, { 'x-sportsstack-signature': sig.toUpperCase() }, body)).toEqual({ ok: true });
    });
    it('names the header when it is missing, and refuses a wrong or malformed digest', () => {
      expect(verifySignature(h, {}, body)).toMatchObject({ code: 'signature_missing', message: expect.stringContaining('x-sportsstack-signature') });
      expect(verifySignature(h, { 'x-sportsstack-signature': sig.replace(/.$/, '0') === sig ? sig.replace(/.$/, '1') : sig.replace(/.$/, '0') }, body).ok).toBe(false);
      expect(verifySignature(h, { 'x-sportsstack-signature': 'zz' }, body).ok).toBe(false);
    });
  });
});
