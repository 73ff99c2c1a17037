/**
 * `npm run bench`: what authentication costs, measured on loopback. See BENCHMARKS.md.
 *
 * The bench process runs the stand-in hub, mints tokens and drives autocannon; every server runs in
 * a child process of its own (compiled JS, like `node dist/main.js`), so the load generator does
 * not share its event loop and its RSS can be read. Scenarios run interleaved, round after round
 * (the order reversed every other round), and every ratio is taken within one round.
 *
 *   npm run bench                      full run (~3.5 min): 3 rounds of 5 s slots
 *   npm run bench -- --soak            memory soak: two consecutive 60 s runs, RSS after each, with
 *                                      the embedded database and then with a private PostgreSQL
 *   npm run bench -- --postgres        the app servers on a private PostgreSQL (DATABASE_URL)
 *   npm run bench -- --rounds 2 --seconds 3 --connections 32
 *   npm run bench -- --only public,warm,cold   some scenarios only (public is always kept)
 */
import { availableParallelism, cpus } from 'node:os';
import { StandInHub } from '../src/hub';
import { DEFAULT_MAX_ENTRIES } from '../src/zaikio/token/verified-token-cache';
import { buildServer, productionNodeFlags } from './lib/build';
import { withPrivatePostgres } from './lib/postgres';
import { CpuMeter, residentKinds } from './lib/cpu';
import { LoadResult, runLoad } from './lib/load';
import { ServerProcess } from './lib/server-process';
import { MintSpec, mintTokens, TokenSource } from './lib/token-pool';
import type { ServerKind } from './server/ipc';

/** Every bench token bears this organization (the public twin describes the same one). */
const ORGANIZATION_ID = '6f2c3c8e-1d3a-4f0e-9a53-4d1f0c6b7a21';
const WARM_POOL_SIZE = 100;
const PUBLISHED_KEYS = 3;
const ITEMS_PAGE = 100;
const MB = 1024 * 1024;
/** Read once: every server runs with the node flags of `npm run start:prod`. */
const NODE_FLAGS = productionNodeFlags();

type TokenKind = 'warm' | 'warm-kidless' | 'cold' | 'cold-kidless';

interface Scenario {
  readonly id: string;
  readonly label: string;
  readonly server: ServerKind;
  readonly path: string;
  readonly tokens: TokenKind;
}

const PUBLIC = 'public';

const SCENARIOS: readonly Scenario[] = [
  {
    id: PUBLIC,
    label: 'GET /api/v1/token twin, @Public() (no auth)',
    server: 'app',
    path: '/bench/public/token',
    tokens: 'warm',
  },
  {
    id: 'warm',
    label: 'GET /api/v1/token, warm tokens (pool of 100, kid)',
    server: 'app',
    path: '/api/v1/token',
    tokens: 'warm',
  },
  {
    id: 'cold',
    label: 'GET /api/v1/token, cold tokens (each new, kid)',
    server: 'app',
    path: '/api/v1/token',
    tokens: 'cold',
  },
  {
    id: 'kidless-warm',
    label: `GET /api/v1/token, warm kid-less tokens, ${PUBLISHED_KEYS} keys`,
    server: 'app',
    path: '/api/v1/token',
    tokens: 'warm-kidless',
  },
  {
    id: 'kidless-cold',
    label: `GET /api/v1/token, cold kid-less tokens, ${PUBLISHED_KEYS} keys`,
    server: 'app',
    path: '/api/v1/token',
    tokens: 'cold-kidless',
  },
  {
    id: 'items',
    label: `GET /api/v1/items (page of ${ITEMS_PAGE}), warm tokens`,
    server: 'app',
    path: '/api/v1/items',
    tokens: 'warm',
  },
  {
    id: 'stock-in-app',
    label: 'BASELINE stock recipe inside this app (guard swapped), kid',
    server: 'stock-in-app',
    path: '/api/v1/token',
    tokens: 'warm',
  },
  {
    id: 'baseline-public',
    label: 'BASELINE stock recipe, bare Nest app: public twin (no auth)',
    server: 'baseline',
    path: '/bench/public/token',
    tokens: 'warm',
  },
  {
    id: 'baseline',
    label: 'BASELINE stock recipe, bare Nest app: passport-jwt + jwks-rsa, kid',
    server: 'baseline',
    path: '/api/v1/token',
    tokens: 'warm',
  },
];

interface Args {
  readonly soak: boolean;
  readonly postgres: boolean;
  readonly rounds: number;
  readonly seconds: number;
  readonly connections: number;
  readonly warmupSeconds: number;
  /** Scenario ids to run (the public reference always among them); null: every scenario. */
  readonly only: ReadonlySet<string> | null;
}

function parseArgs(argv: readonly string[]): Args {
  const number = (name: string, fallback: number): number => {
    const index = argv.indexOf(`--${name}`);
    if (index === -1) return fallback;
    const value = Number(argv[index + 1]);
    if (!Number.isFinite(value) || value <= 0)
      throw new BenchFailure(`--${name} needs a positive number`);
    return value;
  };
  const onlyIndex = argv.indexOf('--only');
  let only: Set<string> | null = null;
  if (onlyIndex !== -1) {
    only = new Set([PUBLIC, ...(argv[onlyIndex + 1] ?? '').split(',').filter(Boolean)]);
    const unknown = [...only].filter((id) => !SCENARIOS.some((scenario) => scenario.id === id));
    if (unknown.length > 0) {
      const known = SCENARIOS.map((scenario) => scenario.id).join(', ');
      throw new BenchFailure(`--only: unknown scenario ${unknown.join(', ')} (known: ${known})`);
    }
  }
  return {
    only,
    soak: argv.includes('--soak'),
    postgres: argv.includes('--postgres'),
    rounds: number('rounds', 3),
    seconds: number('seconds', 5),
    connections: number('connections', 32),
    warmupSeconds: number('warmup', 2),
  };
}

interface Slot extends LoadResult {
  readonly serverMicrosPerRequest: number | null;
  readonly otherShare: number | null;
}

/** A bench failure: the run stops and exits non-zero. */
class BenchFailure extends Error {}

const log = (line = ''): void => void process.stdout.write(`${line}\n`);
const fmt = (value: number | null, digits = 0): string =>
  value === null || Number.isNaN(value) ? '-' : value.toFixed(digits);
const median = (values: readonly number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
};

class Bench {
  private readonly servers = new Map<ServerKind, ServerProcess>();
  private readonly warm = new Map<TokenKind, readonly string[]>();
  private readonly results = new Map<string, Slot[]>();
  private scenarios: readonly Scenario[];
  /** Highest req/s seen so far: cold pools are sized from it so that no token is used twice. */
  private peakRps = 0;

  private constructor(
    private readonly args: Args,
    private readonly hub: StandInHub,
  ) {
    const { only } = args;
    this.scenarios = only ? SCENARIOS.filter((scenario) => only.has(scenario.id)) : SCENARIOS;
  }

  static async run(args: Args): Promise<void> {
    const started = Date.now();
    log(`Node ${process.version}, ${availableParallelism()} cores (${cpus()[0]?.model ?? '?'})`);
    log(`Servers run with the node flags of npm run start:prod: ${NODE_FLAGS.join(' ')}`);
    log('Compiling src/ and bench/ for the server processes ...');
    const entry = await buildServer();
    const hub = await StandInHub.start({ keyCount: PUBLISHED_KEYS });
    const bench = new Bench(args, hub);
    try {
      if (args.soak) await bench.soakWithEachDatabase(entry);
      else if (args.postgres) await bench.onPrivatePostgres((url) => bench.measureAll(entry, url));
      else await bench.measureAll(entry, null);
    } finally {
      await bench.stopServers();
      await hub.stop();
      log(`\nWall time: ${Math.round((Date.now() - started) / 1000)} s`);
    }
  }

  private async measureAll(entry: string, databaseUrl: string | null): Promise<void> {
    // The app always: prepare() checks its routes (and the stock swap against it).
    const kinds = new Set<ServerKind>([
      'app',
      ...this.scenarios.map((scenario) => scenario.server),
    ]);
    await this.startServers(entry, [...kinds], databaseUrl);
    await this.prepare();
    await this.measure();
  }

  /**
   * The soak, first with the embedded database (the default configuration), then with the
   * database out of the process, as a deployment with DATABASE_URL runs.
   */
  private async soakWithEachDatabase(entry: string): Promise<void> {
    log('\n== Database: embedded PGlite (no DATABASE_URL, the default) ==');
    await this.soakOn(entry, null);
    log('\n== Database: PostgreSQL through DATABASE_URL (a private server the bench starts) ==');
    await this.onPrivatePostgres((databaseUrl) => this.soakOn(entry, databaseUrl));
  }

  private async soakOn(entry: string, databaseUrl: string | null): Promise<void> {
    await this.startServers(entry, ['app'], databaseUrl);
    await this.prepare();
    await this.soak();
    await this.stopServers();
  }

  private async onPrivatePostgres(run: (databaseUrl: string) => Promise<void>): Promise<void> {
    const missing = await withPrivatePostgres(run);
    if (missing !== null) log(`!!! SKIPPED: ${missing}`);
  }

  /** `databaseUrl`: null for the embedded database, else the app servers' DATABASE_URL. */
  private async startServers(
    entry: string,
    kinds: readonly ServerKind[],
    databaseUrl: string | null,
  ): Promise<void> {
    for (const kind of kinds) {
      // Every server runs with production's node flags; the soak reads the heap after a full GC,
      // which needs --expose-gc.
      const execArgv = [...NODE_FLAGS, ...(this.args.soak ? ['--expose-gc'] : [])];
      const server = await ServerProcess.start({
        entry,
        args: [kind, this.hub.url, ...(databaseUrl ? [databaseUrl] : [])],
        execArgv,
        label: kind,
      });
      this.servers.set(kind, server);
      log(`${kind} server: ${server.url} (pid ${server.pid})`);
    }
  }

  private async stopServers(): Promise<void> {
    await Promise.all([...this.servers.values()].map((server) => server.stop()));
    this.servers.clear();
  }

  private server(kind: ServerKind): ServerProcess {
    const server = this.servers.get(kind);
    if (!server) throw new Error(`${kind} server not started`);
    return server;
  }

  private spec(kidless: boolean): MintSpec {
    const kid = this.hub.signingKid;
    return {
      privateKey: this.hub.privateKeyOf(kid),
      // Signed by the newest of three keys, which a kid-less token makes the verifier find.
      kid: kidless ? null : kid,
      sub: `Organization/${ORGANIZATION_ID}`,
      scope: ['warehouse.items.rw'],
      aud: ['warehouse'],
    };
  }

  /** Warm pools, the items the items scenario lists, and a check that every route answers. */
  private async prepare(): Promise<void> {
    this.warm.set('warm', await mintTokens(this.spec(false), WARM_POOL_SIZE));
    this.warm.set('warm-kidless', await mintTokens(this.spec(true), WARM_POOL_SIZE));
    const app = this.server('app');
    const token = this.warm.get('warm')![0];
    const items = await fetch(`${app.url}/api/v1/items`, {
      headers: { authorization: `Bearer ${token}` },
    });
    if (items.status === 404) {
      log('');
      log('!!! GET /api/v1/items is not routed (ItemsModule not wired into AppModule yet):');
      log('!!! the items scenario is SKIPPED in this run.');
      this.scenarios = this.scenarios.filter((scenario) => scenario.id !== 'items');
    } else {
      await this.seedItems(app.url, token);
    }
    await this.checkStockRecipeSwap();
    for (const scenario of this.scenarios) {
      if (!this.servers.has(scenario.server)) continue;
      const response = await fetch(`${this.server(scenario.server).url}${scenario.path}`, {
        headers: { authorization: `Bearer ${this.warm.get('warm')![0]}` },
      });
      if (response.status !== 200) {
        throw new BenchFailure(
          `${scenario.id}: GET ${scenario.path} answered ${response.status}: ${await response.text()}`,
        );
      }
    }
  }

  /**
   * Proves the in-app baseline really verifies with the stock recipe: jwks-rsa cannot pick one of
   * three keys for a kid-less token, where our verifier accepts it.
   */
  private async checkStockRecipeSwap(): Promise<void> {
    const stock = this.servers.get('stock-in-app');
    if (!stock) return;
    const kidless = this.warm.get('warm-kidless')![0];
    const headers = { authorization: `Bearer ${kidless}` };
    const [ours, theirs] = await Promise.all([
      fetch(`${this.server('app').url}/api/v1/token`, { headers }),
      fetch(`${stock.url}/api/v1/token`, { headers }),
    ]);
    if (ours.status !== 200 || theirs.status !== 401) {
      throw new BenchFailure(
        `stock-in-app does not look like the stock recipe: kid-less token got ${ours.status} ` +
          `from the app and ${theirs.status} from stock-in-app (expected 200 and 401)`,
      );
    }
  }

  private async seedItems(url: string, token: string): Promise<void> {
    const headers = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };
    for (let index = 1; index <= ITEMS_PAGE; index++) {
      const response = await fetch(`${url}/api/v1/items`, {
        method: 'POST',
        headers,
        body: JSON.stringify({
          sku: `BENCH-${String(index).padStart(4, '0')}`,
          name: `Bench item ${index}, A4 copy paper 80 g/m²`,
          quantity: index * 10,
          unit: 'sheets',
        }),
      });
      if (response.status !== 201) {
        throw new BenchFailure(`seeding items: POST answered ${response.status}`);
      }
    }
    const page = await fetch(`${url}/api/v1/items`, { headers });
    const body = (await page.json()) as unknown[];
    if (!Array.isArray(body) || body.length !== ITEMS_PAGE) {
      throw new BenchFailure(`seeding items: GET /api/v1/items did not list ${ITEMS_PAGE} items`);
    }
  }

  private async tokensFor(kind: TokenKind, seconds: number): Promise<TokenSource> {
    const warm = this.warm.get(kind);
    if (warm) return new TokenSource(warm, 'cycle');
    // Enough for the fastest rate seen plus a margin; running out is reported as a failure.
    const count = Math.ceil(this.peakRps * seconds * 1.25) + 20 * this.args.connections;
    return new TokenSource(await mintTokens(this.spec(kind === 'cold-kidless'), count), 'once');
  }

  private async slot(scenario: Scenario, seconds: number): Promise<Slot> {
    const server = this.server(scenario.server);
    const tokens = await this.tokensFor(scenario.tokens, seconds);
    const meter = new CpuMeter(server.pid);
    const result = await runLoad({
      url: server.url,
      path: scenario.path,
      seconds,
      connections: this.args.connections,
      tokens,
    });
    const { serverMicros, otherShare } = meter.stop();
    if (result.non2xx > 0 || result.errors > 0 || result.requests === 0) {
      throw new BenchFailure(
        `${scenario.id}: ${result.requests} responses, ${result.non2xx} not 2xx ` +
          `(${JSON.stringify(result.statusCodes)}), ${result.errors} errors`,
      );
    }
    if (tokens.reused > 0) {
      throw new BenchFailure(
        `${scenario.id}: the cold pool of ${tokens.size} ran out; ${tokens.reused} requests reused a token`,
      );
    }
    this.peakRps = Math.max(this.peakRps, result.rps);
    return {
      ...result,
      serverMicrosPerRequest: serverMicros === null ? null : serverMicros / result.requests,
      otherShare,
    };
  }

  private async measure(): Promise<void> {
    const { rounds, seconds, warmupSeconds } = this.args;
    log(`\nWarm-up: ${warmupSeconds} s per scenario (JIT, pools, connections) ...`);
    // The public route comes first: its rate sizes the cold pools of the warm-up itself.
    for (const scenario of this.scenarios) await this.slot(scenario, warmupSeconds);

    log(
      `\n${rounds} rounds x ${this.scenarios.length} scenarios x ${seconds} s, ${this.args.connections} connections`,
    );
    log(`(scenarios interleaved; order reversed every other round; ratios within each round)\n`);
    log(
      `${'round'.padEnd(6)}${'scenario'.padEnd(17)}${'req/s'.padStart(8)}${'p50'.padStart(6)}` +
        `${'p99'.padStart(6)}${'non2xx'.padStart(8)}${'srv µs/req'.padStart(12)}${'others'.padStart(8)}`,
    );
    for (let round = 1; round <= rounds; round++) {
      const order = round % 2 ? this.scenarios : [...this.scenarios].reverse();
      for (const scenario of order) {
        const slot = await this.slot(scenario, seconds);
        this.results.set(scenario.id, [...(this.results.get(scenario.id) ?? []), slot]);
        log(
          `${String(round).padEnd(6)}${scenario.id.padEnd(17)}${fmt(slot.rps).padStart(8)}` +
            `${fmt(slot.p50).padStart(6)}${fmt(slot.p99).padStart(6)}${String(slot.non2xx).padStart(8)}` +
            `${fmt(slot.serverMicrosPerRequest, 1).padStart(12)}` +
            `${(slot.otherShare === null ? '-' : `${fmt(slot.otherShare * 100)}%`).padStart(8)}`,
        );
      }
      const memory = await Promise.all(
        [...this.servers.values()].map(async (server) => {
          const { rss } = await server.memory();
          const children = server.childrenResidentBytes();
          const database = children
            ? ` (+ ${fmt(children / MB)} MB embedded database process)`
            : '';
          return `${server.label} RSS ${fmt(rss / MB)} MB${database}`;
        }),
      );
      log(`       after round ${round}: ${memory.join(', ')}`);
    }
    this.report();
  }

  /** Per-round ratio of two scenarios' req/s, the median over rounds. */
  private ratio(id: string, against: string): number | null {
    return this.medianPerRound(id, against, (slot, reference) => slot.rps / reference.rps);
  }

  /** `compare` of two scenarios' slots in each round (null: no value that round), the median. */
  private medianPerRound(
    id: string,
    against: string,
    compare: (slot: Slot, reference: Slot) => number | null,
  ): number | null {
    const a = this.results.get(id);
    const b = this.results.get(against);
    if (!a || !b) return null;
    const values = a
      .map((slot, round) => compare(slot, b[round]))
      .filter((value): value is number => value !== null);
    return values.length ? median(values) : null;
  }

  /**
   * Per-round difference of server CPU per request between two scenarios, the median over rounds:
   * what authentication costs the server, steadier on a shared machine than a ratio of req/s.
   */
  private cpuAbove(id: string, reference: string): number | null {
    return this.medianPerRound(id, reference, (slot, base) =>
      slot.serverMicrosPerRequest === null || base.serverMicrosPerRequest === null
        ? null
        : slot.serverMicrosPerRequest - base.serverMicrosPerRequest,
    );
  }

  private report(): void {
    const { rounds, seconds, connections } = this.args;
    log(
      `\n## Results: median of ${rounds} rounds, ${seconds} s per slot, ${connections} connections\n`,
    );
    log('| scenario | req/s | p50 ms | p99 ms | non-2xx | × no-auth | server CPU µs/req |');
    log('|---|---:|---:|---:|---:|---:|---:|');
    for (const scenario of this.scenarios) {
      const slots = this.results.get(scenario.id) ?? [];
      const pick = (value: (slot: Slot) => number | null): number | null => {
        const values = slots.map(value).filter((entry): entry is number => entry !== null);
        return values.length ? median(values) : null;
      };
      const nonOk = slots.reduce((sum, slot) => sum + slot.non2xx, 0);
      log(
        `| ${scenario.label} | ${fmt(pick((slot) => slot.rps))} | ${fmt(pick((slot) => slot.p50))} ` +
          `| ${fmt(pick((slot) => slot.p99))} | ${nonOk} | ${fmt(this.ratio(scenario.id, PUBLIC), 2)} ` +
          `| ${fmt(
            pick((slot) => slot.serverMicrosPerRequest),
            1,
          )} |`,
      );
    }
    const others = [...this.results.values()]
      .flat()
      .map((slot) => slot.otherShare)
      .filter((share): share is number => share !== null);
    if (others.length) {
      log(
        `\nCPU used by other processes during the slots: median ${fmt(median(others) * 100)}%, ` +
          `max ${fmt(Math.max(...others) * 100)}% of all cores.`,
      );
    }
    const atLeast = (bound: number) => (value: number) => value >= bound;
    const within5 = (value: number) => Math.abs(1 - value) <= 0.05;
    const targets: Array<[string, number | null, (value: number) => boolean]> = [
      ['warm ≥ 0.95 × no-auth', this.ratio('warm', PUBLIC), atLeast(0.95)],
      ['cold ≥ 0.85 × no-auth', this.ratio('cold', PUBLIC), atLeast(0.85)],
      ['kid-less cold within 5 % of kid cold', this.ratio('kidless-cold', 'cold'), within5],
      ['kid-less warm within 5 % of kid warm', this.ratio('kidless-warm', 'warm'), within5],
      ['warm ≥ 2.5 × stock recipe in this app', this.ratio('warm', 'stock-in-app'), atLeast(2.5)],
      ['cold ≥ 2.5 × stock recipe in this app', this.ratio('cold', 'stock-in-app'), atLeast(2.5)],
      ['warm ≥ 2.5 × stock recipe, bare app', this.ratio('warm', 'baseline'), atLeast(2.5)],
    ];
    log('\n## Targets (ratios of req/s within a round, median over rounds)\n');
    for (const [name, value, met] of targets) {
      const verdict = value === null ? 'n/a' : met(value) ? 'met' : 'MISSED';
      log(`- ${name}: ${fmt(value, 3)} — ${verdict}`);
    }
    log(
      '\n## Authentication in server CPU per request (µs above the public twin, median over rounds)\n',
    );
    for (const id of ['warm', 'cold', 'kidless-warm', 'kidless-cold', 'stock-in-app']) {
      const extra = this.cpuAbove(id, PUBLIC);
      if (extra !== null) log(`- ${id}: ${fmt(extra, 1)} µs`);
    }
    const baseline = this.ratio('baseline', 'baseline-public');
    log(`\nFor reference: the stock recipe serves ${fmt(baseline, 2)} × its own public twin.`);
  }

  /**
   * Memory soak: two consecutive 60 s runs against the app on the authenticated route. Half the
   * connections send tokens from a cycle through 3 × the cache's capacity, so every one misses and
   * the cache stays full and churning; the other half send warm tokens (hits).
   */
  private async soak(): Promise<void> {
    const app = this.server('app');
    const poolSize = DEFAULT_MAX_ENTRIES * 3;
    log(`\nSoak: minting ${poolSize} tokens ...`);
    const cycling = new TokenSource(await mintTokens(this.spec(false), poolSize), 'cycle');
    const warm = new TokenSource(this.warm.get('warm')!, 'cycle');
    /** Memory after a full GC: the API process, and the embedded database's process if any. */
    const memory = async (when: string): Promise<{ api: number; database: number }> => {
      const { rss, heapUsed, heapTotal, external } = await app.memory(true);
      const database = app.childrenResidentBytes();
      const kinds = residentKinds(app.pid);
      const split = kinds
        ? ` (${fmt(kinds.anon / MB, 1)} anonymous, ${fmt(kinds.file / MB, 1)} file-backed)`
        : '';
      log(
        `${when}: RSS ${fmt(rss / MB, 1)} MB${split}; after a full GC, V8 heap used ${fmt(heapUsed / MB, 1)} MB ` +
          `of ${fmt(heapTotal / MB, 1)} MB committed, external ${fmt(external / MB, 1)} MB` +
          (database ? `; embedded database process RSS ${fmt(database / MB, 1)} MB` : ''),
      );
      return { api: rss, database };
    };
    await memory('idle, after start-up');
    let previous: { api: number; database: number } | null = null;
    for (let run = 1; run <= 2; run++) {
      const connections = Math.max(1, Math.floor(this.args.connections / 2));
      const path = '/api/v1/token';
      const results = await Promise.all([
        runLoad({ url: app.url, path, seconds: 60, connections, tokens: cycling }),
        runLoad({ url: app.url, path, seconds: 60, connections, tokens: warm }),
      ]);
      for (const result of results) {
        if (result.non2xx > 0 || result.errors > 0) {
          throw new BenchFailure(
            `soak: ${result.non2xx} not 2xx (${JSON.stringify(result.statusCodes)}), ` +
              `${result.errors} errors`,
          );
        }
      }
      const [missing, hitting] = results.map((result) => fmt(result.rps));
      const now = await memory(
        `after run ${run} (60 s: ${missing} req/s cache misses + ${hitting} req/s hits)`,
      );
      log(`  API process RSS < 200 MB: ${now.api < 200 * MB ? 'met' : 'MISSED'}`);
      if (now.database) {
        log(
          `  API and embedded database processes together: ${fmt((now.api + now.database) / MB)} MB`,
        );
      }
      if (previous !== null) {
        const growth = (now.api - previous.api) / MB;
        const verdict = growth <= 5 ? 'not growing (≤ 5 MB)' : 'GROWING';
        log(`  API process RSS change from run 1 to run 2: ${fmt(growth, 1)} MB — ${verdict}`);
        if (now.database) {
          const databaseGrowth = (now.database - previous.database) / MB;
          log(`  embedded database process RSS change: ${fmt(databaseGrowth, 1)} MB`);
        }
      }
      previous = now;
    }
  }
}

Promise.resolve()
  .then(() => Bench.run(parseArgs(process.argv.slice(2))))
  .catch((error: unknown) => {
    const message = error instanceof Error ? error.message : String(error);
    process.stderr.write(`\nBENCH FAILED: ${message}\n`);
    if (!(error instanceof BenchFailure) && error instanceof Error)
      process.stderr.write(`${error.stack}\n`);
    process.exitCode = 1;
  });
