import { ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { connect } from 'node:net';
import { join, resolve } from 'node:path';
import { readDeployEnv } from '../env';
import { createTestDatabase, createTestVhost } from '../test/test-env';
import { postgresBinDir, startPostgres } from './postgres.local';
import { portAccepts, run, toolEnv, waitUntil } from './process.util';
import { rabbitCtl } from './rabbitmq.ctl';
import { startRabbit } from './rabbitmq.local';

// Booting RabbitMQ alone takes 3–7 s (the root config's project-level testTimeout is not applied by jest 30).
jest.setTimeout(60_000);

const REPO_ROOT = resolve(__dirname, '..', '..', '..');

async function psql(url: string, sql: string): Promise<string> {
  const args = ['-X', '-At', '-v', 'ON_ERROR_STOP=1', '-d', url, '-c', sql];
  return (await run(join(postgresBinDir(), 'psql'), args, { env: toolEnv() })).trim();
}

const epmdNames = (): Promise<string> => run('epmd', ['-names'], { env: toolEnv() });

// Declares a quorum queue through the broker's own API (the CLI has no declare command).
const declareQuorumQueue = (name: string): string =>
  `rabbit_amqqueue:declare(rabbit_misc:r(<<"/">>, queue, <<"${name}">>), true, false, ` +
  `[{<<"x-queue-type">>, longstr, <<"quorum">>}], none, <<"test">>), ok.`;

/** Sends the AMQP 0-9-1 protocol header and checks that the reply is a Connection.Start method frame. */
function amqpGreets(port: number): Promise<boolean> {
  return new Promise((done) => {
    const header = Buffer.from('AMQP\x00\x00\x09\x01', 'latin1');
    const socket = connect({ host: '127.0.0.1', port }, () => socket.write(header));
    socket.setTimeout(5000, () => socket.destroy());
    socket.once('data', (frame) => {
      // frame type 1 (method), channel 0, size (4 bytes), class 10 (connection), method 10 (start)
      done(frame[0] === 1 && frame.readUInt16BE(7) === 10 && frame.readUInt16BE(9) === 10);
      socket.destroy();
    });
    socket.once('error', () => done(false));
    socket.once('close', () => done(false));
  });
}

describe('local PostgreSQL', () => {
  it('serves a created database to psql and, once stopped, frees its port and deletes its directories', async () => {
    const pg = await startPostgres({ fsync: false });
    try {
      expect(pg.url).toBe(`postgres://postgres@127.0.0.1:${pg.port}/postgres`);
      const url = await pg.createDatabase('hub_local_test');
      expect(url).toBe(`postgres://postgres@127.0.0.1:${pg.port}/hub_local_test`);
      expect(await psql(url, 'select 1')).toBe('1');
      expect(await psql(url, "select current_setting('fsync') || ' ' || current_setting('max_connections')")).toBe(
        'off 300',
      );
      await pg.dropDatabase('hub_local_test');
      expect(await psql(pg.url, "select count(*) from pg_database where datname = 'hub_local_test'")).toBe('0');
    } finally {
      await pg.stop();
    }
    expect(await portAccepts(pg.port)).toBe(false);
    expect(existsSync(pg.baseDir)).toBe(false);
  });

  it('restart() cuts the sessions and comes back on the same port with the same data', async () => {
    const pg = await startPostgres({ fsync: false });
    try {
      const url = await pg.createDatabase('hub_restart_test');
      await psql(url, 'create table t (v int); insert into t values (42)');
      await pg.restart({ downMs: 200 });
      expect(await psql(url, 'select v from t')).toBe('42');
    } finally {
      await pg.stop();
    }
    expect(existsSync(pg.baseDir)).toBe(false);
  });
});

describe('local RabbitMQ', () => {
  it('speaks AMQP, keeps quorum queues and vhosts across kill() and restart(), and stop() removes it all', async () => {
    const rabbit = await startRabbit();
    try {
      expect(rabbit.url).toBe(`amqp://guest:guest@127.0.0.1:${rabbit.port}`);
      expect(await amqpGreets(rabbit.port)).toBe(true);

      await rabbit.ctl(['-q', 'eval', declareQuorumQueue('hub.quorum.check')]);
      expect(await rabbit.ctl(['-q', 'list_queues', 'name', 'type'])).toMatch(/hub\.quorum\.check\s+quorum/);

      const vhostUrl = await rabbit.addVhost('tenant a/1');
      expect(vhostUrl).toBe(`amqp://guest:guest@127.0.0.1:${rabbit.port}/tenant%20a%2F1`);
      expect(await rabbit.ctl(['-q', 'list_permissions', '-p', 'tenant a/1'])).toMatch(/guest\s+\.\*\s+\.\*\s+\.\*/);

      await rabbit.kill();
      expect(await portAccepts(rabbit.port)).toBe(false);
      await rabbit.restart();
      expect(await amqpGreets(rabbit.port)).toBe(true);
      expect(await rabbit.ctl(['-q', 'list_queues', 'name', 'type'])).toMatch(/hub\.quorum\.check\s+quorum/);
      expect(await rabbit.ctl(['-q', 'list_vhosts'])).toContain('tenant a/1');

      await rabbit.deleteVhost('tenant a/1');
      expect(await rabbit.ctl(['-q', 'list_vhosts'])).not.toContain('tenant a/1');
    } finally {
      await rabbit.stop();
    }
    expect(await portAccepts(rabbit.port)).toBe(false);
    expect(await portAccepts(rabbit.distPort)).toBe(false);
    expect(existsSync(rabbit.baseDir)).toBe(false);
    expect(await epmdNames()).not.toContain(rabbit.nodeName.split('@')[0]);
  });
});

describe('test harness', () => {
  it('gives each caller its own database and vhost on the shared test servers, and drops them', async () => {
    const infra = readDeployEnv().test;
    const db = await createTestDatabase();
    const vhost = await createTestVhost();
    try {
      expect(await psql(db.url, 'select current_database()')).toBe(db.name);
      if (infra?.rabbit) {
        expect(vhost.url).toBe(`${infra.amqpUrl}/${encodeURIComponent(vhost.name)}`);
        expect(await rabbitCtl(infra.rabbit, ['-q', 'list_vhosts'])).toContain(vhost.name);
      }
    } finally {
      await db.drop();
      await vhost.drop();
    }
    const admin = infra?.pgAdminUrl ?? '';
    expect(await psql(admin, `select count(*) from pg_database where datname = '${db.name}'`)).toBe('0');
    if (infra?.rabbit) expect(await rabbitCtl(infra.rabbit, ['-q', 'list_vhosts'])).not.toContain(vhost.name);
  });
});

// Runs a TypeScript file in a plain node process, compiled on load by the repo's @swc/core.
const SWC_REQUIRE_HOOK = `
const swc = require('@swc/core');
require.extensions['.ts'] = (module, filename) => {
  const options = { jsc: { parser: { syntax: 'typescript' }, target: 'es2022' }, module: { type: 'commonjs' } };
  module._compile(swc.transformFileSync(filename, options).code, filename);
};`;

function runTs(file: string): ChildProcess {
  return spawn(process.execPath, ['-e', `${SWC_REQUIRE_HOOK}\nrequire(${JSON.stringify(file)});`], {
    cwd: REPO_ROOT,
    env: toolEnv(),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}

function firstLine(child: ChildProcess): Promise<string> {
  return new Promise((done, fail) => {
    let out = '';
    let err = '';
    child.stderr?.on('data', (chunk: Buffer) => (err += chunk.toString()));
    child.stdout?.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      if (out.includes('\n')) done(out.split('\n')[0]);
    });
    child.once('exit', (code) => fail(new Error(`fixture exited (${code}) before reporting:\n${err}`)));
  });
}

interface Orphans {
  postgres: { port: number; baseDir: string };
  rabbit: { port: number; distPort: number; baseDir: string; nodeName: string };
}

describe('watchdog', () => {
  it('stops the instances of a SIGKILLed process and deletes their directories within seconds', async () => {
    const child = runTs(join(REPO_ROOT, 'deploy/src/test/fixtures/orphaned-instances.ts'));
    const orphans = JSON.parse(await firstLine(child)) as Orphans;
    expect(await portAccepts(orphans.postgres.port)).toBe(true);
    expect(await portAccepts(orphans.rabbit.port)).toBe(true);

    const killedAt = Date.now();
    child.kill('SIGKILL');
    const cleaned = async (): Promise<boolean> => {
      const open = await Promise.all(
        [orphans.postgres.port, orphans.rabbit.port, orphans.rabbit.distPort].map((port) => portAccepts(port)),
      );
      const dirs = [orphans.postgres.baseDir, orphans.rabbit.baseDir].filter((dir) => existsSync(dir));
      return !open.includes(true) && dirs.length === 0;
    };
    await waitUntil('the watchdogs to clean up', cleaned, { timeoutMs: 20_000, intervalMs: 200 });
    expect(Date.now() - killedAt).toBeLessThan(15_000);
    expect(await epmdNames()).not.toContain(orphans.rabbit.nodeName.split('@')[0]);
  });
});
