// Covers where log lines go: nothing lost when the process exits, readable lines for a person.
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createLoggers } from './logger';
import { prettyLogStream } from './log-streams';

const ROOT = join(__dirname, '..', '..');

const nodeArgs = (body: string) => ['-r', '@swc-node/register', '-e', body];

/** Runs `body` in a fresh node process (TypeScript through swc) and returns its stdout. */
function runNode(body: string): string {
  return execFileSync(process.execPath, nodeArgs(body), { cwd: ROOT, encoding: 'utf8' });
}

/** Like runNode, for a process that ends by a signal; returns the signal and stdout. */
function runKilledNode(body: string): { signal: string | null; stdout: string } {
  const result = spawnSync(process.execPath, nodeArgs(body), { cwd: ROOT, encoding: 'utf8' });
  return { signal: result.signal, stdout: result.stdout };
}

/** In the child: the request line of request number i (its url says the number). */
const LINE = `const line = (i) => ({ req: { id: 'r' + i, method: 'GET', url: '/' + i }, statusCode: 200, responseTime: 0, msg: 'request completed' });`;
const requestNumber = (line: Record<string, unknown>) =>
  Number((line.req as { url: string }).url.slice(1));

describe('productionLogStream', () => {
  it('writes every line a process logged right before exiting, one JSON object per line', () => {
    const stdout = runNode(`
      const { createLoggers, productionLogStream } = require('./src/logging');
      const { root, requests } = createLoggers('info', productionLogStream());
      ${LINE}
      for (let i = 0; i < 500; i++) requests.write('info', line(i));
      root.info({ req: { headers: { authorization: 'Bearer secret' } } }, 'last words');
      process.exit(0);
    `);
    const lines = stdout
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(lines).toHaveLength(501);
    expect(lines.slice(0, 500).map(requestNumber)).toEqual([...Array(500).keys()]);
    expect(lines[500]).toMatchObject({
      msg: 'last words',
      req: { headers: { authorization: '[redacted]' } },
    });
    expect(stdout).not.toContain('secret');
  });

  it('writes lines within a fraction of a second even when the process is killed afterwards', () => {
    // SIGKILL skips the exit flush: only the periodic hand-over can have written the lines.
    const { signal, stdout } = runKilledNode(`
      const { createLoggers, productionLogStream } = require('./src/logging');
      const { requests } = createLoggers('info', productionLogStream());
      ${LINE}
      for (let i = 0; i < 3; i++) requests.write('info', line(i));
      setTimeout(() => process.kill(process.pid, 'SIGKILL'), 400);
    `);
    expect(signal).toBe('SIGKILL');
    const lines = stdout.trim().split('\n');
    expect(lines.map((line) => requestNumber(JSON.parse(line) as Record<string, unknown>))).toEqual(
      [0, 1, 2],
    );
  });
});

describe('prettyLogStream', () => {
  it('writes coloured, readable lines instead of JSON', () => {
    const dir = mkdtempSync(join(tmpdir(), 'pretty-log-'));
    try {
      const file = join(dir, 'out.log');
      const { root } = createLoggers('info', prettyLogStream(file));
      root.info({ context: 'Bootstrap' }, 'Listening on http://localhost:3000');
      const text = readFileSync(file, 'utf8');
      expect(text).toContain('Listening on http://localhost:3000');
      expect(text).toContain('\u001b['); // ANSI colour
      expect(text.trimStart().startsWith('{')).toBe(false);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
