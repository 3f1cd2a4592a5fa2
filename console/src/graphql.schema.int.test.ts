import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const CONSOLE = join(__dirname, '..');
const gqlTada = (...args: string[]) => execFileSync(process.execPath, [join(CONSOLE, '..', 'node_modules', 'gql.tada', 'bin', 'cli.js'), ...args], { cwd: CONSOLE, encoding: 'utf8', stdio: 'pipe' });

describe("the console's GraphQL types follow control-plane/schema.graphql", () => {
  it('has its generated types up to date (else: npm run schema:print, which regenerates them)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'gql-tada-'));
    try {
      gqlTada('generate', 'output', '--output', join(dir, 'env.d.ts'));
      expect(readFileSync(join(dir, 'env.d.ts'), 'utf8')).toBe(readFileSync(join(CONSOLE, 'src', 'graphql-env.d.ts'), 'utf8'));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('asks only for fields and arguments the schema has', () => {
    // gql.tada check validates every document against the schema (unknown fields, wrong arguments).
    let out: string;
    try {
      out = gqlTada('check');
    } catch (e) {
      out = `${(e as { stdout?: string }).stdout ?? ''}${(e as { stderr?: string }).stderr ?? ''}`;
    }
    expect(out).toContain('No problems found');
  });
});
