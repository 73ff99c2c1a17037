import { execFile } from 'node:child_process';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** Instructions executed by a process under callgrind since its counters were last zeroed. */
export interface InstructionCount {
  /** The event loop's thread. */
  readonly main: number;
  /** Every other thread: V8's compiler and garbage-collector helpers, libuv's pool. */
  readonly others: number;
}

/** The valgrind arguments that run a process under callgrind, one dump file per thread. */
export function callgrindArgs(outDir: string): string[] {
  return [
    '--tool=callgrind',
    '--separate-threads=yes',
    '--dump-instr=no',
    `--callgrind-out-file=${join(outDir, 'callgrind.%p')}`,
  ];
}

/** Whether valgrind can be run here (Debian package `valgrind`). */
export async function hasCallgrind(): Promise<boolean> {
  try {
    await run('valgrind', ['--version']);
    return true;
  } catch {
    return false;
  }
}

/**
 * Controls one process running under callgrind: zero its counters, later dump them and read the
 * per-thread totals of that dump. Instruction counts do not depend on what else the machine does,
 * so they can tell apart differences that CPU time on a shared two-core machine cannot.
 */
export class CallgrindProcess {
  private dumps = 0;

  constructor(
    private readonly pid: number,
    private readonly outDir: string,
  ) {}

  async zero(): Promise<void> {
    await run('callgrind_control', ['--zero', String(this.pid)]);
  }

  async dump(): Promise<InstructionCount> {
    await run('callgrind_control', ['--dump', String(this.pid)]);
    this.dumps += 1;
    // callgrind.<pid>.<dump>-<thread>: thread 01 is the main thread.
    const prefix = `callgrind.${this.pid}.${this.dumps}-`;
    const files = (await readdir(this.outDir)).filter((name) => name.startsWith(prefix));
    let main = 0;
    let others = 0;
    for (const file of files) {
      const text = await readFile(join(this.outDir, file), 'utf8');
      const total = Number(/^summary: (\d+)/m.exec(text)?.[1] ?? 0);
      if (file.endsWith('-01')) main += total;
      else others += total;
    }
    if (main === 0) throw new Error(`callgrind wrote no main-thread dump ${prefix}01`);
    return { main, others };
  }
}
