import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';

let ticksPerSec: number | undefined;
/** Clock ticks per second of /proc/<pid>/stat times (CLK_TCK, 100 on Linux almost everywhere). */
function clockTicks(): number {
  if (ticksPerSec === undefined) {
    try {
      ticksPerSec = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
    } catch {
      ticksPerSec = 100;
    }
  }
  return ticksPerSec;
}

/** Fields of /proc/<pid>/stat from field 3 (state) on; undefined when the process is gone. */
function statFields(pid: number): string[] | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  } catch {
    return undefined;
  }
}

/** CPU time (user + system) a process has used so far, in ms; undefined when it is gone. */
export function cpuMsOf(pid: number): number | undefined {
  const f = statFields(pid);
  if (!f) return undefined;
  // utime and stime are fields 14 and 15 of the file, i.e. 11 and 12 counted from the state field.
  return ((Number(f[11]) + Number(f[12])) * 1000) / clockTicks();
}

/** Resident set size in MB (VmRSS); undefined when the process is gone. */
export function rssMbOf(pid: number): number | undefined {
  try {
    const m = /VmRSS:\s+(\d+)\s+kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) / 1024 : undefined;
  } catch {
    return undefined;
  }
}

/** Direct children of a process (e.g. PostgreSQL's backends under the postmaster). */
export function childPids(pid: number): number[] {
  const out: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const f = statFields(Number(entry));
    if (f && Number(f[1]) === pid) out.push(Number(entry));
  }
  return out;
}

/** Processes whose command line contains `needle` (e.g. a RabbitMQ node's instance directory). */
export function pidsByCmdline(needle: string): number[] {
  const out: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      if (readFileSync(`/proc/${entry}/cmdline`, 'utf8').includes(needle)) out.push(Number(entry));
    } catch {
      /* gone */
    }
  }
  return out;
}

/**
 * CPU and memory of one role (a process, or a group such as PostgreSQL and its backends) whose
 * pids may change (restarts): CPU of pids that went away is kept from their last reading.
 */
export class RoleMeter {
  private last = new Map<number, number>();
  private retiredMs = 0;

  constructor(readonly name: string, private readonly pids: () => number[]) {}

  /** Total CPU ms used by the role's processes since the meter first saw them. */
  cpuMs(): number {
    const seen = new Map<number, number>();
    for (const pid of this.pids()) {
      const ms = cpuMsOf(pid);
      if (ms !== undefined) seen.set(pid, ms);
    }
    for (const [pid, ms] of this.last) if (!seen.has(pid)) this.retiredMs += ms;
    this.last = seen;
    let total = this.retiredMs;
    for (const ms of seen.values()) total += ms;
    return total;
  }

  rssMb(): number {
    return this.pids().reduce((sum, pid) => sum + (rssMbOf(pid) ?? 0), 0);
  }
}
