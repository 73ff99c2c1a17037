import { readFileSync } from 'node:fs';
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

/** Measures one slot: server CPU, and CPU used by anything but the bench and the server. */
export class CpuMeter {
  private readonly start: { server: number | null; machine: number | null; own: number };
  private readonly startedAt = process.hrtime.bigint();

  constructor(private readonly serverPid: number) {
    this.start = {
      server: processCpuMicros(serverPid),
      machine: machineBusyMicros(),
      own: ownCpuMicros(),
    };
  }

  /** `serverMicros`: server CPU time in the slot; `otherShare`: 0..1 of all cores used by others. */
  stop(): { serverMicros: number | null; otherShare: number | null } {
    const wallMicros = Number(process.hrtime.bigint() - this.startedAt) / 1000;
    const server = processCpuMicros(this.serverPid);
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
