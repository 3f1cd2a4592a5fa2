// Runs the BlueConic, Copernica and ActiveCampaign emulators as one process for the demo.
//   EMU_BLUECONIC_PORT, EMU_COPERNICA_PORT, EMU_ACTIVECAMPAIGN_PORT  ports (default 0: any free port)
//   EMU_CONFIG  JSON file {"blueconic": {...}, "copernica": {...}, "activecampaign": {...}}
// Prints {"blueconic":"<url>","copernica":"<url>","activecampaign":"<url>"} on one stdout line once all listen.
import { readFileSync } from 'node:fs';
import { startActiveCampaign } from './activecampaign/activecampaign.server';
import { ActiveCampaignHandle, ActiveCampaignOptions } from './activecampaign/activecampaign.types';
import { loadEmulatorEnv } from './env';
import { startBlueConic } from './blueconic/blueconic.server';
import { BlueConicHandle, BlueConicOptions } from './blueconic/blueconic.types';
import { startCopernica } from './copernica/copernica.server';
import { CopernicaHandle, CopernicaOptions } from './copernica/copernica.types';

export interface EmulatorsConfig {
  blueconic?: BlueConicOptions;
  copernica?: CopernicaOptions;
  activecampaign?: ActiveCampaignOptions;
}

export interface RunningEmulators {
  blueconic: BlueConicHandle;
  copernica: CopernicaHandle;
  activecampaign: ActiveCampaignHandle;
  close(): Promise<void>;
}

function port(name: string, value: string | undefined): number | undefined {
  if (value === undefined || value === '') return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0 || n > 65535) throw new Error(`${name} must be a port number, got ${value}`);
  return n;
}

/** Starts both emulators from their settings (see env.ts); env ports win over the file's. */
export async function runEmulators(env: Record<string, string | undefined>): Promise<RunningEmulators> {
  const config: EmulatorsConfig = env.EMU_CONFIG ? (JSON.parse(readFileSync(env.EMU_CONFIG, 'utf8')) as EmulatorsConfig) : {};
  const bcPort = port('EMU_BLUECONIC_PORT', env.EMU_BLUECONIC_PORT) ?? config.blueconic?.port;
  const cpPort = port('EMU_COPERNICA_PORT', env.EMU_COPERNICA_PORT) ?? config.copernica?.port;
  const acPort = port('EMU_ACTIVECAMPAIGN_PORT', env.EMU_ACTIVECAMPAIGN_PORT) ?? config.activecampaign?.port;
  const blueconic = await startBlueConic({ ...config.blueconic, port: bcPort });
  let copernica: CopernicaHandle;
  let activecampaign: ActiveCampaignHandle;
  try {
    copernica = await startCopernica({ ...config.copernica, port: cpPort });
  } catch (err) {
    await blueconic.close();
    throw err;
  }
  try {
    activecampaign = await startActiveCampaign({ ...config.activecampaign, port: acPort });
  } catch (err) {
    await Promise.all([blueconic.close(), copernica.close()]);
    throw err;
  }
  return {
    blueconic,
    copernica,
    activecampaign,
    close: async () => {
      await Promise.all([blueconic.close(), copernica.close(), activecampaign.close()]);
    },
  };
}

async function main(): Promise<void> {
  const running = await runEmulators(loadEmulatorEnv());
  const stop = (signal: NodeJS.Signals) => {
    running.close().then(
      () => process.exit(0),
      (err: unknown) => {
        process.stderr.write(`emulators: error while closing on ${signal}: ${String(err)}\n`);
        process.exit(1);
      },
    );
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  // Printed only once the handlers are in place, so a parent may signal as soon as it reads the line.
  process.stdout.write(JSON.stringify({ blueconic: running.blueconic.url, copernica: running.copernica.url, activecampaign: running.activecampaign.url }) + '\n');
}

if (require.main === module) {
  main().catch((err: unknown) => {
    process.stderr.write(`emulators: ${err instanceof Error ? err.stack ?? err.message : String(err)}\n`);
    process.exit(1);
  });
}
