// jest integration globalTeardown: stops what globalSetup started and deletes its directories.
// If jest is killed instead, the instances' watchdogs (deploy/local/watchdog.sh) do it.
import { stopInstances, takeInstances } from './instances';

export default async function globalTeardown(): Promise<void> {
  await stopInstances(takeInstances());
}
