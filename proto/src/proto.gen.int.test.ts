import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync, cpSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';

const protoDir = join(__dirname, '..');

function listFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? listFiles(join(dir, e.name)) : [join(dir, e.name)],
  );
}

describe('generated protobuf code', () => {
  it('matches what buf generates from the .proto files (regenerate with `npm run proto:gen`)', () => {
    const work = mkdtempSync(join(tmpdir(), 'datahub-proto-'));
    try {
      cpSync(join(protoDir, 'proto'), join(work, 'proto'), { recursive: true });
      cpSync(join(protoDir, 'buf.yaml'), join(work, 'buf.yaml'));
      cpSync(join(protoDir, 'buf.gen.yaml'), join(work, 'buf.gen.yaml'));
      const bin = join(protoDir, '..', 'node_modules', '.bin');
      execFileSync(join(bin, 'buf'), ['generate'], {
        cwd: work,
        env: { ...process.env, PATH: `${bin}:${process.env.PATH}` },
      });
      const fresh = listFiles(join(work, 'gen')).map((f) => relative(work, f)).sort();
      const committed = listFiles(join(protoDir, 'gen')).map((f) => relative(protoDir, f)).sort();
      expect(committed).toEqual(fresh);
      for (const f of fresh) {
        expect(readFileSync(join(protoDir, f), 'utf8')).toBe(readFileSync(join(work, f), 'utf8'));
      }
    } finally {
      rmSync(work, { recursive: true, force: true });
    }
  });
});
