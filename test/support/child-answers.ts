import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Exchange } from '../../src/testing/api-contract';
import { CHILD_ANSWERS_FILE, ChildAnswer } from './answer-recorder';

const PRELOAD = join(__dirname, 'child-answers.preload.ts');

/**
 * The answers a server in a child process records of itself (child-answers.preload.ts), read
 * back in the test process. Give the child `nodeArgs` (after the TypeScript loader) and `env`.
 */
export class ChildAnswers {
  readonly nodeArgs: readonly string[] = ['-r', PRELOAD];
  readonly env: NodeJS.ProcessEnv;
  private readonly directory = mkdtempSync(join(tmpdir(), 'warehouse-answers-'));
  private readonly file = join(this.directory, 'answers.jsonl');
  /** Bytes of the file already taken: whole lines only. */
  private taken = 0;

  constructor() {
    writeFileSync(this.file, '');
    this.env = { [CHILD_ANSWERS_FILE]: this.file };
  }

  /** The answers the server listening on `port` completed since the last call. */
  take(port: number): Exchange[] {
    // Small files (a suite's answers); read whole, from where the last call stopped.
    const text = readFileSync(this.file).subarray(this.taken).toString('utf8');
    // A line still being written waits for the next call.
    const complete = text.slice(0, text.lastIndexOf('\n') + 1);
    this.taken += Buffer.byteLength(complete);
    return complete
      .split('\n')
      .filter((line) => line.length > 0)
      .map((line) => JSON.parse(line) as ChildAnswer)
      .filter((answer) => answer.port === port)
      .map((answer) => answer.exchange);
  }

  remove(): void {
    rmSync(this.directory, { recursive: true, force: true });
  }
}
