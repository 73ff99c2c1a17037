import { ChildProcess, fork } from 'node:child_process';
import { extname, join, resolve } from 'node:path';
import { Logger } from '@nestjs/common';
import type { PoolConfig } from 'pg';
import {
  EMBEDDED_DATABASE,
  EMBEDDED_SOCKET_PORT,
  EMBEDDED_USER,
  EmbeddedReport,
} from './embedded-protocol';

/** First start-up may build the empty-cluster template (initdb in WASM): seconds, not minutes. */
const START_TIMEOUT_MS = 120_000;
const STOP_TIMEOUT_MS = 10_000;
const RESTART_DELAY_MIN_MS = 500;
const RESTART_DELAY_MAX_MS = 30_000;

/** Run from sources (the specs), the entry is TypeScript and needs the same loader. */
const ownExtension = extname(__filename);
const ENTRY = join(__dirname, `embedded-database.main${ownExtension}`);
/**
 * WASM compiled by the baseline compiler only: V8's optimising tier compiles PGlite's hot
 * functions again, in malloc'd memory that stays resident (the process grew from ~190 to
 * 280-330 MB under item queries) for ~8 % more query throughput (BENCHMARKS.md).
 */
const ENTRY_EXEC_ARGV = [
  ...(ownExtension === '.ts' ? ['-r', '@swc-node/register'] : []),
  '--liftoff-only',
];

/**
 * The embedded PostgreSQL (PGlite) in a process of its own, started and supervised by the app.
 *
 * Why a process: PGlite is a whole PostgreSQL compiled to WASM. In the API's process it added
 * about 150 MB of resident memory (WASM memory, and the malloc arenas its compilation leaves
 * behind) and ran every query on the API's event loop. Out of process the API stays as small as
 * with PostgreSQL, queries run on the other core, and the app uses one code path (pg) for both.
 *
 * If the process dies, it is started again (with a growing delay while starts keep failing);
 * queries in between fail like queries against an unreachable PostgreSQL.
 */
export class EmbeddedDatabase {
  readonly #dataDir: string;
  #child: ChildProcess | null = null;
  /** Set once the first start succeeded: from then on a dead process is started again. */
  #supervising = false;
  #stopping = false;
  #restartDelayMs = RESTART_DELAY_MIN_MS;
  #restartTimer: NodeJS.Timeout | null = null;

  private constructor(
    dataDir: string,
    private readonly logger: Logger,
  ) {
    this.#dataDir = resolve(dataDir);
  }

  /** Starts the process and resolves once it accepts connections; rejects with its reason. */
  static async start(dataDir: string, logger: Logger): Promise<EmbeddedDatabase> {
    const database = new EmbeddedDatabase(dataDir, logger);
    await database.#spawn();
    database.#supervising = true;
    return database;
  }

  /** The running process's id (null while it is being restarted). */
  get pid(): number | null {
    return this.#child?.pid ?? null;
  }

  /** pg's connection settings: the Unix socket in the data directory. */
  get poolConfig(): PoolConfig {
    return {
      host: this.#dataDir,
      port: EMBEDDED_SOCKET_PORT,
      user: EMBEDDED_USER,
      database: EMBEDDED_DATABASE,
    };
  }

  /** Closes the IPC channel, which the process takes as its cue to shut down, and waits. */
  async stop(): Promise<void> {
    this.#stopping = true;
    if (this.#restartTimer) clearTimeout(this.#restartTimer);
    const child = this.#child;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise<void>((done) => child.once('exit', () => done()));
    if (child.connected) child.disconnect();
    const timer = setTimeout(() => child.kill('SIGKILL'), STOP_TIMEOUT_MS);
    await exited;
    clearTimeout(timer);
  }

  #spawn(): Promise<void> {
    const child = fork(ENTRY, [this.#dataDir], {
      execArgv: ENTRY_EXEC_ARGV,
      stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
    });
    this.#child = child;
    return new Promise<void>((ready, fail) => {
      const timer = setTimeout(() => {
        child.kill('SIGKILL');
        fail(new Error(`the embedded database did not start within ${START_TIMEOUT_MS} ms`));
      }, START_TIMEOUT_MS);
      const settle = (outcome: () => void): void => {
        clearTimeout(timer);
        child.off('message', onMessage);
        outcome();
      };
      const onMessage = (message: EmbeddedReport): void => {
        if (message.type === 'ready') settle(ready);
        else
          settle(() =>
            fail(new Error(`the embedded database failed to start: ${message.message}`)),
          );
      };
      child.on('message', onMessage);
      child.once('error', (error) => settle(() => fail(error)));
      child.once('exit', (code, signal) => {
        settle(() =>
          fail(new Error(`the embedded database exited during start-up (${code ?? signal})`)),
        );
        this.#onExit(child, code, signal);
      });
    });
  }

  #onExit(child: ChildProcess, code: number | null, signal: NodeJS.Signals | null): void {
    if (!this.#supervising || this.#stopping || this.#child !== child) return;
    this.#child = null;
    const delayMs = this.#restartDelayMs;
    this.#restartDelayMs = Math.min(delayMs * 2, RESTART_DELAY_MAX_MS);
    this.logger.error(
      `The embedded database process exited (${signal ?? `code ${code}`}); ` +
        `starting it again in ${delayMs} ms`,
    );
    this.#restartTimer = setTimeout(() => this.#restart(), delayMs);
  }

  #restart(): void {
    this.#restartTimer = null;
    this.#spawn().then(
      () => {
        this.#restartDelayMs = RESTART_DELAY_MIN_MS;
        this.logger.log('The embedded database is running again');
      },
      // Its exit schedules the next attempt.
      (error: unknown) =>
        this.logger.error(`Restarting the embedded database failed: ${String(error)}`),
    );
  }
}
