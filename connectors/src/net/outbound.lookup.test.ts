import type { LookupAddress } from 'node:dns';
import { FORBIDDEN_ADDRESS_CODE, guardedLookup, type GuardedLookup, type Resolver } from './outbound.lookup';

/** A DNS answer fixed in advance: the test's stand-in for a zone the attacker controls. */
const answers = (table: Record<string, LookupAddress[]>): Resolver => async (host) => {
  const found = table[host.toLowerCase().replace(/\.$/, "")];
  if (!found) throw Object.assign(new Error(`getaddrinfo ENOTFOUND ${host}`), { code: 'ENOTFOUND' });
  return found;
};

type Outcome = { err: NodeJS.ErrnoException | null; address: unknown; family?: number };
const call = (lookup: GuardedLookup, host: string, options: { all?: boolean; family?: number }) =>
  new Promise<Outcome>((done) => lookup(host, options, (err, address, family) => done({ err, address, family })));

const zone = answers({
  'api.example.com': [{ address: '93.184.215.14', family: 4 }, { address: '2606:2800:21f:cb07:6820:80da:af6b:8b2c', family: 6 }],
  'mixed.example.com': [{ address: '93.184.215.14', family: 4 }, { address: '10.0.0.7', family: 4 }],
  'metadata.example.com': [{ address: '169.254.169.254', family: 4 }],
  'v6-loop.example.com': [{ address: '::ffff:127.0.0.1', family: 6 }],
  'emulator.test': [{ address: '127.0.0.1', family: 4 }],
});

describe('guardedLookup', () => {
  const none = new Set<string>();

  it('answers like dns.lookup: one address, or all of them with { all: true }', async () => {
    const lookup = guardedLookup(none, zone);
    expect(await call(lookup, 'api.example.com', {})).toEqual({ err: null, address: '93.184.215.14', family: 4 });
    expect(await call(lookup, 'api.example.com', { family: 6 })).toEqual({ err: null, address: '2606:2800:21f:cb07:6820:80da:af6b:8b2c', family: 6 });
    expect((await call(lookup, 'api.example.com', { all: true })).address).toHaveLength(2);
  });

  it.each([
    ['metadata.example.com', '169.254.169.254'],
    ['mixed.example.com', '10.0.0.7'],
    ['v6-loop.example.com', '::ffff:127.0.0.1'],
    ['emulator.test', '127.0.0.1'],
    ['127.0.0.1', '127.0.0.1'],
    ['fd00:ec2::254', 'fd00:ec2::254'],
  ])('refuses %s because it resolves to %s', async (host, address) => {
    const { err } = await call(guardedLookup(none, zone), host, { all: true });
    expect(err?.code).toBe(FORBIDDEN_ADDRESS_CODE);
    expect(err?.message).toContain(host);
    expect(err?.message).toContain(address);
  });

  it('refuses a name when any address is forbidden, even if the family asked for is public', async () => {
    const { err } = await call(guardedLookup(none, zone), 'mixed.example.com', { family: 4 });
    expect(err?.code).toBe(FORBIDDEN_ADDRESS_CODE);
  });

  it('lets an allow-listed host resolve to loopback', async () => {
    expect(await call(guardedLookup(new Set(['emulator.test']), zone), 'Emulator.Test.', {}))
      .toEqual({ err: null, address: '127.0.0.1', family: 4 });
  });

  it('passes resolver failures through unchanged', async () => {
    expect((await call(guardedLookup(none, zone), 'nowhere.example.com', {})).err?.code).toBe('ENOTFOUND');
  });
});
