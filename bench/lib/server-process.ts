import { ChildProcess, fork } from 'node:child_process';
import type { FromServer, ToServer } from '../server/ipc';
import { descendantPids, residentBytes } from './cpu';

export interface ServerProcessOptions {
  /** The child entry; it calls serveOverIpc (bench/server/serve-over-ipc.ts). */
  readonly entry: string;
  readonly args?: readonly string[];
  readonly execArgv?: readonly string[];
  /** Names the server in messages and reports. */
  readonly label: string;
  /** Added to the bench's own environment (NODE_ENV is always production). */
  readonly env?: Readonly<Record<string, string>>;
  /** Where the server's stdout goes (a file descriptor): its log lines; default the bench's. */
  readonly stdout?: number;
  /** A program node runs under, with its arguments (valgrind for instruction counts). */
  readonly wrapper?: readonly string[];
}

/**
 * A server running in its own process, so its RSS can be read and it has its own event loop.
 * Used by the bench and by the soak.
 */
export class ServerProcess {
  /** The exit code once the process ended (128 after a signal), else null. */
  exitCode: number | null = null;

  private constructor(
    readonly label: string,
    readonly url: string,
    private readonly child: ChildProcess,
  ) {
    child.on('exit', (code, signal) => {
      this.exitCode = code ?? (signal ? 128 : -1);
    });
  }

  static async start(options: ServerProcessOptions): Promise<ServerProcess> {
    const { entry, args = [], execArgv = [], label, env = {}, stdout = 'inherit' } = options;
    const [wrapper, ...wrapperArgs] = options.wrapper ?? [];
    const child = fork(entry, [...args], {
      ...(wrapper ? { execPath: wrapper } : {}),
      execArgv: wrapper ? [...wrapperArgs, process.execPath, ...execArgv] : [...execArgv],
      env: { ...process.env, ...env, NODE_ENV: 'production' },
      stdio: ['ignore', stdout, 'inherit', 'ipc'],
    });
    const port = await new Promise<number>((resolve, reject) => {
      const onExit = (code: number | null) =>
        reject(new Error(`${label} server exited (code ${code}) before it was ready`));
      child.once('exit', onExit);
      child.on('message', (message: FromServer) => {
        if (message.type === 'ready') {
          child.off('exit', onExit);
          resolve(message.port);
        } else if (message.type === 'failed') {
          reject(new Error(`${label} server failed to start:\n${message.error}`));
        }
      });
    });
    return new ServerProcess(label, `http://127.0.0.1:${port}`, child);
  }

  get pid(): number {
    return this.child.pid ?? -1;
  }

  get alive(): boolean {
    return this.exitCode === null && this.child.exitCode === null;
  }

  /**
   * process.memoryUsage() of the server process (RSS, V8 heap committed and used, ...); with
   * `gc`, after a full garbage collection (when the server runs with --expose-gc).
   */
  memory(gc = false): Promise<NodeJS.MemoryUsage> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`${this.label} server: no memory answer in 5 s`)),
        5_000,
      );
      const onMessage = (message: FromServer) => {
        if (message.type !== 'memory') return;
        clearTimeout(timer);
        this.child.off('message', onMessage);
        resolve(message.usage);
      };
      this.child.on('message', onMessage);
      this.send({ type: 'memory', gc });
    });
  }

  /**
   * Resident memory of the processes the server started (the embedded database's process, when
   * the app runs without DATABASE_URL), in bytes; 0 when it started none.
   */
  childrenResidentBytes(): number {
    return descendantPids(this.pid).reduce((sum, pid) => sum + (residentBytes(pid) ?? 0), 0);
  }

  /** Asks the server to close; kills it if it has not exited within 10 s. */
  async stop(): Promise<void> {
    if (!this.alive) return;
    const exited = new Promise<void>((resolve) => this.child.once('exit', () => resolve()));
    const killer = setTimeout(() => this.child.kill('SIGKILL'), 10_000);
    this.send({ type: 'stop' });
    await exited;
    clearTimeout(killer);
  }

  private send(message: ToServer): void {
    if (this.child.connected) this.child.send(message);
  }
}
