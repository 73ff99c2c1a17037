import { readdirSync, readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';

/** CPU time used so far, in microseconds, by a process (all its threads); null off Linux. */
export function processCpuMicros(pid: number): number | null {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
    // utime and stime, in clock ticks (USER_HZ, 100 on Linux).
    return (Number(fields[11]) + Number(fields[12])) * 10_000;
  } catch {
    return null;
  }
}

/** Process ids of every descendant of `pid` (children, their children, ...); empty off Linux. */
export function descendantPids(pid: number): number[] {
  const children = new Map<number, number[]>();
  let entries: string[];
  try {
    entries = readdirSync('/proc').filter((name) => /^\d+$/.test(name));
  } catch {
    return [];
  }
  for (const entry of entries) {
    try {
      // Field 4 of stat, after the parenthesised command name, is the parent's pid.
      const parent = Number(
        readFileSync(`/proc/${entry}/stat`, 'utf8').split(') ')[1].split(' ')[1],
      );
      children.set(parent, [...(children.get(parent) ?? []), Number(entry)]);
    } catch {
      // The process ended while we looked.
    }
  }
  const found: number[] = [];
  for (let queue = [pid]; queue.length;) {
    const next = children.get(queue.shift()!) ?? [];
    found.push(...next);
    queue.push(...next);
  }
  return found;
}

/**
 * CPU time used so far by a process and every process it started (the app's embedded database
 * runs in a child process of the server), in microseconds; null off Linux.
 */
export function processTreeCpuMicros(pid: number): number | null {
  const own = processCpuMicros(pid);
  if (own === null) return null;
  return descendantPids(pid).reduce((sum, child) => sum + (processCpuMicros(child) ?? 0), own);
}

/** Fields of /proc/<pid>/status given in kB, as bytes; null when the process or a field is missing. */
function statusBytes<N extends string>(pid: number, names: readonly N[]): Record<N, number> | null {
  let status: string;
  try {
    status = readFileSync(`/proc/${pid}/status`, 'utf8');
  } catch {
    return null;
  }
  const bytes = {} as Record<N, number>;
  for (const name of names) {
    const match = new RegExp(`^${name}:\\s+(\\d+) kB$`, 'm').exec(status);
    if (!match) return null;
    bytes[name] = Number(match[1]) * 1024;
  }
  return bytes;
}

/** Resident memory of a process in bytes (VmRSS), or null. */
export function residentBytes(pid: number): number | null {
  return statusBytes(pid, ['VmRSS'])?.VmRSS ?? null;
}

/**
 * A process's resident memory by kind (Linux): anonymous (heaps, malloc arenas: what the process
 * itself allocated) and file-backed (its binary and libraries paged in: shared and reclaimable).
 */
export function residentKinds(pid: number): { anon: number; file: number } | null {
  const bytes = statusBytes(pid, ['RssAnon', 'RssFile']);
  return bytes && { anon: bytes.RssAnon, file: bytes.RssFile };
}

/** Busy CPU time of the whole machine so far, in microseconds; null off Linux. */
export function machineBusyMicros(): number | null {
  try {
    const [, ...ticks] = readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/);
    const [user, nice, system, , , irq, softirq, steal] = ticks.map(Number);
    return (user + nice + system + irq + softirq + steal) * 10_000;
  } catch {
    return null;
  }
}

/**
 * Measures one slot: CPU of the server and the processes it started, and CPU used by anything
 * else but the bench. (A process that ends within the slot takes its CPU time with it; the
 * server's children live as long as the server.)
 */
export class CpuMeter {
  private readonly start: { server: number | null; machine: number | null; own: number };
  private readonly startedAt = process.hrtime.bigint();

  constructor(private readonly serverPid: number) {
    this.start = {
      server: processTreeCpuMicros(serverPid),
      machine: machineBusyMicros(),
      own: ownCpuMicros(),
    };
  }

  /** `serverMicros`: server CPU time in the slot; `otherShare`: 0..1 of all cores used by others. */
  stop(): { serverMicros: number | null; otherShare: number | null } {
    const wallMicros = Number(process.hrtime.bigint() - this.startedAt) / 1000;
    const server = processTreeCpuMicros(this.serverPid);
    const machine = machineBusyMicros();
    const serverMicros =
      server === null || this.start.server === null ? null : server - this.start.server;
    if (serverMicros === null || machine === null || this.start.machine === null) {
      return { serverMicros, otherShare: null };
    }
    const others = machine - this.start.machine - serverMicros - (ownCpuMicros() - this.start.own);
    return {
      serverMicros,
      otherShare: Math.max(0, others / (wallMicros * availableParallelism())),
    };
  }
}

function ownCpuMicros(): number {
  const { user, system } = process.cpuUsage();
  return user + system;
}
