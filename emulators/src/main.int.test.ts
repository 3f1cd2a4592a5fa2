import { ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runEmulators } from './main';

const config = {
  blueconic: { clients: [{ clientId: 'demo', clientSecret: 'demo-secret' }], profiles: [{ id: 'p1', properties: { email: ['a@example.com'] } }] },
  copernica: { accessTokens: ['demo-token'] },
};

describe('main', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'emulators-main-'));
    writeFileSync(join(dir, 'config.json'), JSON.stringify(config));
    // Lets a child `node` run main.ts directly, compiled by the @swc/core the tests already use.
    writeFileSync(
      join(dir, 'register.js'),
      `const swc = require(${JSON.stringify(require.resolve('@swc/core'))});
       const fs = require('fs');
       require.extensions['.ts'] = (m, filename) => m._compile(swc.transformSync(fs.readFileSync(filename, 'utf8'), {
         filename, jsc: { parser: { syntax: 'typescript' }, target: 'es2022' }, module: { type: 'commonjs' } }).code, filename);`,
    );
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('runEmulators starts both emulators from EMU_CONFIG', async () => {
    const running = await runEmulators({ EMU_CONFIG: join(dir, 'config.json') });
    try {
      expect(running.blueconic.getProfile('p1')).toBeDefined();
      const res = await fetch(`${running.copernica.url}/database/1/profiles?access_token=demo-token`);
      expect(res.status).toBe(200);
    } finally {
      await running.close();
    }
  });

  it('rejects a port that is not a number', async () => {
    await expect(runEmulators({ EMU_BLUECONIC_PORT: 'eighty' })).rejects.toThrow('EMU_BLUECONIC_PORT');
  });

  function startProcess(): { child: ChildProcess; urls: Promise<{ blueconic: string; copernica: string }> } {
    const child = spawn(process.execPath, ['-r', join(dir, 'register.js'), join(__dirname, 'main.ts')], {
      env: { ...process.env, EMU_CONFIG: join(dir, 'config.json'), EMU_BLUECONIC_PORT: '0', EMU_COPERNICA_PORT: '0' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const urls = new Promise<{ blueconic: string; copernica: string }>((resolve, reject) => {
      let out = '';
      let err = '';
      child.stdout!.on('data', (chunk: Buffer) => {
        out += chunk.toString();
        const line = out.split('\n')[0];
        if (out.includes('\n')) resolve(JSON.parse(line) as { blueconic: string; copernica: string });
      });
      child.stderr!.on('data', (chunk: Buffer) => (err += chunk.toString()));
      child.once('exit', (code) => reject(new Error(`main exited early (${code}): ${err}`)));
    });
    return { child, urls };
  }

  it.each(['SIGTERM', 'SIGINT'] as const)('runs as a process, prints its URLs as one JSON line and exits 0 on %s', async (signal) => {
    const { child, urls } = startProcess();
    const { blueconic, copernica } = await urls;
    expect(blueconic).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/rest\/v2$/);
    expect(copernica).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/v3$/);
    const token = await fetch(`${blueconic}/oauth/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'grant_type=client_credentials&client_id=demo&client_secret=demo-secret',
    });
    expect(token.status).toBe(200);
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    child.kill(signal);
    expect(await exited).toBe(0);
    await expect(fetch(`${copernica}/database/1/profiles?access_token=demo-token`)).rejects.toThrow();
  });
});
