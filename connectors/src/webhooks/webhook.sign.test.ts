import { createHmac } from 'node:crypto';
import { signWebhook } from './webhook.sign';

describe('outgoing webhook signatures', () => {
  it('produces the Standard Webhooks published test vector', () => {
    const h = signWebhook({
      secrets: ['whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw'], hmacHeader: 'X-SportsStack-Signature',
      messageId: 'msg_p5jXN8AQM9LWM0D4loKWxJek', timestampSec: 1614265330, body: '{"test": 2432232314}',
    });
    expect(h['webhook-signature']).toBe('v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=');
    expect(h['webhook-id']).toBe('msg_p5jXN8AQM9LWM0D4loKWxJek');
    expect(h['webhook-timestamp']).toBe('1614265330');
  });

  it("puts the guide's hex HMAC of the raw body in its header, with the oldest secret, and one v1 signature per secret", () => {
    const body = '{"stream":"change_log","batch_size":1}';
    const h = signWebhook({ secrets: ['whsec_b2xk', 'whsec_bmV3'], hmacHeader: 'X-SportsStack-Signature', messageId: 'b1', timestampSec: 1, body });
    expect(h['x-sportsstack-signature']).toBe(createHmac('sha256', 'whsec_b2xk').update(body).digest('hex'));
    expect(h['webhook-signature']!.split(' ')).toHaveLength(2);
  });

  it('sends no signature without a secret', () => {
    const h = signWebhook({ secrets: [], hmacHeader: 'X-Sig', messageId: 'b', timestampSec: 1, body: '{}' });
    expect(h).toEqual({ 'webhook-id': 'b', 'webhook-timestamp': '1' });
  });
});
