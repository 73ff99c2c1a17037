import { ChildProcess, fork } from 'node:child_process';
import type { FromServer, ServerKind, ToServer } from '../server/ipc';
import { descendantPids, residentBytes } from './cpu';

/** A server running in its own process, so its RSS can be read and it has its own event loop. */
export class ServerProcess {
  private constructor(
    readonly kind: ServerKind,
    readonly url: string,
    private readonly child: ChildProcess,
  ) {}

  /** `entry` is the compiled server-main.js (see buildServer). */
  static async start(
    entry: string,
    kind: ServerKind,
    hubUrl: string,
    execArgv: string[] = [],
    databaseUrl: string | null = null,
  ): Promise<ServerProcess> {
    const child = fork(entry, [kind, hubUrl, ...(databaseUrl ? [databaseUrl] : [])], {
      execArgv,
      env: { ...process.env, NODE_ENV: 'production' },
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    const port = await new Promise<number>((resolve, reject) => {
      const onExit = (code: number | null) =>
        reject(new Error(`${kind} server exited (code ${code}) before it was ready`));
      child.once('exit', onExit);
      child.on('message', (message: FromServer) => {
        if (message.type === 'ready') {
          child.off('exit', onExit);
          resolve(message.port);
        } else if (message.type === 'failed') {
          reject(new Error(`${kind} server failed to start:\n${message.error}`));
        }
      });
    });
    return new ServerProcess(kind, `http://127.0.0.1:${port}`, child);
  }

  get pid(): number {
    return this.child.pid ?? -1;
  }

  /**
   * process.memoryUsage() of the server process (RSS, V8 heap committed and used, ...); with
   * `gc`, after a full garbage collection (when the server runs with --expose-gc).
   */
  memory(gc = false): Promise<NodeJS.MemoryUsage> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`${this.kind} server: no memory answer`)),
        5_000,
      );
      const onMessage = (message: FromServer) => {
        if (message.type !== 'rss') return;
        clearTimeout(timer);
        this.child.off('message', onMessage);
        resolve(message.usage);
      };
      this.child.on('message', onMessage);
      this.send({ type: 'rss', gc });
    });
  }

  /**
   * Resident memory of the processes the server started (the embedded database's process, when
   * the app runs without DATABASE_URL), in bytes; 0 when it started none.
   */
  childrenResidentBytes(): number {
    return descendantPids(this.pid).reduce((sum, pid) => sum + (residentBytes(pid) ?? 0), 0);
  }

  async stop(): Promise<void> {
    if (this.child.exitCode !== null) return;
    const exited = new Promise<void>((resolve) => this.child.once('exit', () => resolve()));
    const killer = setTimeout(() => this.child.kill('SIGKILL'), 10_000);
    this.send({ type: 'stop' });
    await exited;
    clearTimeout(killer);
  }

  private send(message: ToServer): void {
    this.child.send(message);
  }
}
