import { ChildProcess, spawn } from 'node:child_process';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { embeddedDatabasePids } from '../../src/database/testing';
import { eventually } from '../../src/testing/eventually';
import { ChildAnswers } from './child-answers';
import { holdRecordedToServedContract } from './contract';

export interface ExitStatus {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
}

export interface SpawnedServer {
  readonly process: ChildProcess;
  readonly port: number;
  readonly url: string;
  /** What it wrote to stdout (JSON log lines) so far. */
  stdout(): string;
  /** stdout and stderr together, as they arrived. */
  output(): string;
  readonly exited: Promise<ExitStatus>;
}

export interface SpawnOptions {
  /** Arguments after `node -r @swc-node/register`, run in the repository root. */
  readonly args: readonly string[];
  readonly env?: NodeJS.ProcessEnv;
  /** Matches the output once the server listens; its first group is the port. */
  readonly listening: RegExp;
  readonly timeoutMs?: number;
  /** A program node runs under, with its arguments (bin/with-jemalloc, as `npm run start:prod`). */
  readonly launcher?: readonly string[];
}

/**
 * The application (TypeScript sources) in a process of its own, for specs that need real signals,
 * real exits and real log output. Resolves once `listening` matches what it printed; rejects with
 * that output if it exits first or takes longer than `timeoutMs` (then it is killed).
 * Like an in-process app, every answer it sends is held to the document it serves at
 * /docs/api.json (test/support/contract.ts), whoever asked.
 */
export async function spawnServer(options: SpawnOptions): Promise<SpawnedServer> {
  const { args, env = {}, listening, timeoutMs = 30_000, launcher = [] } = options;
  const answers = new ChildAnswers();
  const nodeArgs = ['-r', '@swc-node/register', ...answers.nodeArgs, ...args];
  const [program, ...programArgs] = [...launcher, process.execPath, ...nodeArgs];
  const child = spawn(program, programArgs, {
    cwd: join(__dirname, '..', '..'),
    env: { ...process.env, ...env, ...answers.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => {
    stdout += chunk.toString();
    output += chunk.toString();
  });
  child.stderr.on('data', (chunk: Buffer) => void (output += chunk.toString()));
  const exited = new Promise<ExitStatus>((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal })),
  );
  const listened = new Promise<number>((resolve, reject) => {
    const startedAt = Date.now();
    const timer = setInterval(() => {
      const match = listening.exec(output);
      if (match) {
        clearInterval(timer);
        resolve(Number(match[1]));
      } else if (Date.now() - startedAt > timeoutMs) {
        clearInterval(timer);
        child.kill('SIGKILL');
        reject(new Error(`the server did not listen within ${timeoutMs} ms:\n${output}`));
      }
    }, 50);
    void exited.then(() => {
      clearInterval(timer);
      reject(new Error(`the server exited before listening:\n${output}`));
    });
  });
  const port = await listened.catch((error: unknown) => {
    answers.remove();
    throw error;
  });
  const url = `http://127.0.0.1:${port}`;
  let stopHolding: () => void;
  try {
    stopHolding = await holdRecordedToServedContract(url, () => answers.take(port));
  } catch (error) {
    child.kill('SIGKILL');
    answers.remove();
    throw error;
  }
  // Its last answers are checked with the test it exits in.
  void exited.then(() => {
    stopHolding();
    answers.remove();
  });
  return {
    process: child,
    port,
    url,
    stdout: () => stdout,
    output: () => output,
    exited,
  };
}

/**
 * Kills `servers` (SIGKILL, if still running), waits until they and the embedded database
 * processes serving `dataDir` have gone, then removes `dataDir`. The database process outlives
 * its killed parent for a moment and may still be writing there: removing the folder before it
 * has gone fails with ENOTEMPTY.
 */
export async function killServersAndRemove(
  servers: readonly SpawnedServer[],
  dataDir: string | undefined,
): Promise<void> {
  for (const server of servers) {
    if (server.process.exitCode === null && server.process.signalCode === null) {
      server.process.kill('SIGKILL');
    }
  }
  await Promise.all(servers.map((server) => server.exited));
  if (dataDir === undefined) return;
  await eventually(() => embeddedDatabasePids(dataDir).length === 0, 10_000, 'database gone');
  await rm(dataDir, { recursive: true, force: true });
}
