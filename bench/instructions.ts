/**
 * `npm run bench:instructions`: user-space instructions per request, counted by valgrind's
 * callgrind, for the request line, warm and cold tokens. Unlike CPU time these counts do not move
 * with the load of a shared machine, so they tell apart changes of a few microseconds. Kernel work
 * (sockets, writes) is not counted, and valgrind's CPU lacks SHA and some big-number instructions,
 * so OpenSSL's share reads higher than on the real CPU. See BENCHMARKS.md.
 *
 *   npm run bench:instructions                      3 000 requests per slot, 2 rounds
 *   npm run bench:instructions -- --requests 1000 --rounds 1
 */
import { randomUUID } from 'node:crypto';
import { closeSync, openSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import http from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { StandInHub } from '../src/hub';
import { buildServer, productionNodeFlags, productionWrapper } from './lib/build';
import { CallgrindProcess, callgrindArgs, hasCallgrind, InstructionCount } from './lib/callgrind';
import { PUBLISHED_KEYS, productionEnvironment } from './lib/scenarios';
import { median } from './lib/median';
import { ServerProcess } from './lib/server-process';
import { mintTokens, TokenSource } from './lib/token-pool';

const SUBJECTS = 2000;
const CONCURRENCY = 8;
const PATHS = { public: '/bench/public/token', warm: '/api/v1/token', cold: '/api/v1/token' };
type Slot = keyof typeof PATHS;
const SLOTS: readonly Slot[] = ['public', 'warm', 'cold'];

const log = (line = ''): void => void process.stdout.write(`${line}\n`);
const number = (argv: readonly string[], name: string, fallback: number): number => {
  const index = argv.indexOf(`--${name}`);
  const value = index === -1 ? fallback : Number(argv[index + 1]);
  if (!Number.isInteger(value) || value <= 0) throw new Error(`--${name} needs a whole number`);
  return value;
};

/** Sends `count` GETs over keep-alive connections, each with the next token; any non-200 fails. */
async function send(url: string, tokens: () => string, count: number): Promise<void> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: CONCURRENCY });
  let sent = 0;
  const one = (): Promise<void> =>
    new Promise((resolve, reject) => {
      const request = http.get(url, { agent, headers: { authorization: `Bearer ${tokens()}` } });
      request.on('response', (response) => {
        response.resume();
        response.on('end', () =>
          response.statusCode === 200
            ? resolve()
            : reject(new Error(`${url} answered ${response.statusCode}`)),
        );
      });
      request.on('error', reject);
    });
  const worker = async (): Promise<void> => {
    while (sent < count) {
      sent += 1;
      await one();
    }
  };
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));
  agent.destroy();
}

interface Server {
  readonly id: string;
  readonly process: ServerProcess;
  readonly callgrind: CallgrindProcess;
}

async function main(): Promise<void> {
  const argv = process.argv.slice(2);
  const requests = number(argv, 'requests', 3000);
  const rounds = number(argv, 'rounds', 2);
  if (!(await hasCallgrind()))
    throw new Error('valgrind is not installed (apt-get install valgrind)');
  log(`Node ${process.version}; ${requests} requests per slot, ${rounds} rounds, under callgrind`);
  const entry = await buildServer();
  const hub = await StandInHub.start({ keyCount: PUBLISHED_KEYS });
  const scratch = await mkdtemp(join(tmpdir(), 'warehouse-instructions-'));
  const servers: Server[] = [];
  try {
    const kid = hub.signingKid;
    const subs = Array.from({ length: SUBJECTS }, () => `Organization/${randomUUID()}`);
    const spec = {
      privateKey: hub.privateKeyOf(kid),
      kid,
      subs,
      scope: ['warehouse.items.rw'],
      aud: ['warehouse'],
    };
    const warm = await mintTokens(spec, SUBJECTS);
    // Each server gets its own cold tokens: a token is new to the server that sees it.
    const coldPerServer = requests * (rounds + 1);
    const cold = await mintTokens(spec, coldPerServer * 2);
    const variants: Array<[string, Record<string, string>]> = [
      ['app', {}],
      ['app-silent', { LOG_LEVEL: 'silent' }],
    ];
    for (const [id, extra] of variants) {
      const stdout = openSync(join(scratch, `${id}.log`), 'a');
      try {
        const started = await ServerProcess.start({
          entry,
          args: ['app'],
          execArgv: productionNodeFlags(),
          env: { ...productionEnvironment(hub.url), ...extra },
          stdout,
          label: id,
          wrapper: [...productionWrapper(), 'valgrind', ...callgrindArgs(scratch)],
        });
        servers.push({
          id,
          process: started,
          callgrind: new CallgrindProcess(started.pid, scratch),
        });
        log(`${id}: pid ${started.pid} under callgrind`);
      } finally {
        closeSync(stdout);
      }
    }
    // Both servers at once: instruction counts do not care that they share the cores.
    const results = await Promise.all(
      servers.map((server, index) =>
        measure(
          server,
          rounds,
          requests,
          warm,
          cold.slice(index * coldPerServer, (index + 1) * coldPerServer),
        ),
      ),
    );
    report(servers, results, requests);
  } finally {
    await Promise.all(servers.map((server) => server.process.stop()));
    await hub.stop();
    await rm(scratch, { recursive: true, force: true });
  }
}

type Counts = Map<Slot, InstructionCount[]>;

async function measure(
  server: Server,
  rounds: number,
  requests: number,
  warm: readonly string[],
  cold: readonly string[],
): Promise<Counts> {
  const warmTokens = new TokenSource(warm, 'cycle');
  const coldTokens = new TokenSource(cold, 'once');
  const sources: Record<Slot, TokenSource> = {
    public: warmTokens,
    warm: warmTokens,
    cold: coldTokens,
  };
  const tokens = (slot: Slot) => () => {
    const token = sources[slot].next();
    if (coldTokens.reused > 0) throw new Error('cold tokens ran out');
    return token;
  };
  const url = (slot: Slot) => `${server.process.url}${PATHS[slot]}`;
  // Warm-up: every route compiled and optimised before counting, and every warm token cached
  // (a token is cached when it verifies the second time: two passes over the pool).
  for (const slot of SLOTS) {
    const count = slot === 'warm' ? Math.max(requests, 2 * warm.length) : requests;
    await send(url(slot), tokens(slot), count);
  }
  const counts: Counts = new Map(SLOTS.map((slot) => [slot, []]));
  for (let round = 0; round < rounds; round++) {
    const order = round % 2 === 0 ? SLOTS : [...SLOTS].reverse();
    for (const slot of order) {
      await server.callgrind.zero();
      await send(url(slot), tokens(slot), requests);
      const count = await server.callgrind.dump();
      counts.get(slot)?.push({ main: count.main / requests, others: count.others / requests });
      log(
        `${server.id} round ${round + 1} ${slot}: ${Math.round(count.main / requests)} on the event loop, ` +
          `${Math.round(count.others / requests)} on other threads (instructions per request)`,
      );
    }
  }
  return counts;
}

function report(servers: readonly Server[], results: readonly Counts[], requests: number): void {
  const of = (server: string, slot: Slot, which: keyof InstructionCount): number => {
    const counts = results[servers.findIndex((entry) => entry.id === server)].get(slot) ?? [];
    return median(counts.map((count) => count[which]));
  };
  log(`\n## Instructions per request (median over rounds, ${requests} requests per slot)\n`);
  log('| server | slot | event loop | other threads |');
  log('|---|---|---:|---:|');
  for (const server of servers) {
    for (const slot of SLOTS) {
      log(
        `| ${server.id} | ${slot} | ${Math.round(of(server.id, slot, 'main'))} | ${Math.round(of(server.id, slot, 'others'))} |`,
      );
    }
  }
  const k = (value: number) => `${(value / 1000).toFixed(1)} k`;
  log('\n## Differences on the event loop\n');
  log(
    `- a request line (public, app − app-silent): ${k(of('app', 'public', 'main') - of('app-silent', 'public', 'main'))}`,
  );
  for (const server of servers) {
    const publicMain = of(server.id, 'public', 'main');
    log(
      `- ${server.id}: warm − public ${k(of(server.id, 'warm', 'main') - publicMain)}, cold − public ${k(of(server.id, 'cold', 'main') - publicMain)}`,
    );
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`BENCH FAILED: ${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
