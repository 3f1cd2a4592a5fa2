import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';

export const CONSOLE_DIR = join(__dirname, '..', '..');
export const ARTIFACTS = join(CONSOLE_DIR, 'test-artifacts');

function newest(path: string): number {
  const s = statSync(path);
  if (!s.isDirectory()) return s.mtimeMs;
  return Math.max(s.mtimeMs, ...readdirSync(path).map((f) => newest(join(path, f))));
}

/** Runs `vite build` when console/dist is missing or older than the sources (a fresh clone, an edit). */
export function buildConsoleIfStale(): void {
  const built = join(CONSOLE_DIR, 'dist', 'index.html');
  const sources = Math.max(newest(join(CONSOLE_DIR, 'src')), newest(join(CONSOLE_DIR, 'index.html')), newest(join(CONSOLE_DIR, 'vite.config.ts')));
  if (existsSync(built) && statSync(built).mtimeMs >= sources) return;
  execFileSync(process.execPath, [join(CONSOLE_DIR, '..', 'node_modules', 'vite', 'bin', 'vite.js'), 'build', '--logLevel', 'warn'], { cwd: CONSOLE_DIR, stdio: 'pipe' });
}

/** Debian's chromium (deploy/local/ensure-system-deps.sh installs it): browsers cannot be downloaded here. */
export async function launchChromium(): Promise<Browser> {
  const executablePath = ['/usr/bin/chromium', '/usr/bin/chromium-browser'].find((p) => existsSync(p));
  if (!executablePath) throw new Error('chromium is not installed: run bash deploy/local/ensure-system-deps.sh');
  // --no-sandbox: tests run as root, where chromium's sandbox cannot start.
  return chromium.launch({ executablePath, headless: true, args: ['--no-sandbox', '--disable-dev-shm-usage', '--disable-gpu'] });
}

/** A full-page screenshot kept as a test artefact (console/test-artifacts/NAME.png). */
export async function shot(page: Page, name: string): Promise<string> {
  mkdirSync(ARTIFACTS, { recursive: true });
  const path = join(ARTIFACTS, `${name}.png`);
  await page.screenshot({ path, fullPage: true });
  return path;
}
