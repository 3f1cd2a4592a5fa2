import { retryQueueName } from './topology';

describe('retryQueueName', () => {
  it('carries the delay in the queue name', () => {
    expect(retryQueueName(30_000)).toBe('hub.retry.30s');
    expect(retryQueueName(600_000)).toBe('hub.retry.600s');
    expect(retryQueueName(250)).toBe('hub.retry.250ms');
  });
});
