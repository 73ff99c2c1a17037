/**
 * `npm run bench`: what a request costs the server in the production configuration, measured on
 * loopback. See BENCHMARKS.md.
 *
 * The bench process runs the stand-in hub, mints tokens and drives autocannon; every server runs in
 * a child process of its own (compiled JS, like `node dist/main.js`, configured through parseConfig
 * from its environment), so the load generator does not share its event loop and its CPU and RSS
 * can be read. Scenarios run interleaved, round after round
 * (the order reversed every other round), and every ratio is taken within one round.
 *
 *   npm run bench                      full run (~7 min): 3 rounds of 5 s slots
 *   npm run bench -- --soak            memory soak: five consecutive 60 s runs, RSS after each, with
 *                                      the embedded database and then with a private PostgreSQL
 *   npm run bench -- --postgres        every app server on the private PostgreSQL (DATABASE_URL)
 *   npm run bench -- --soak --soak-seconds 5   try the soak out
 *   npm run bench -- --rounds 2 --seconds 3 --connections 32
 *   npm run bench -- --only public,warm,cold   some scenarios only (public is always kept)
 *   npm run bench -- --paired          the authentication and request-line targets, each pair of
 *                                      scenarios loaded at once on two servers, then swapped
 */
import { createPublicKey, randomUUID, verify } from 'node:crypto';
import { closeSync, createReadStream, openSync, readFileSync, statSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { availableParallelism, cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { memoryAllocator } from '../src/common/memory-allocator';
import { StandInHub } from '../src/hub';
import { DEFAULT_MAX_ENTRIES } from '../src/zaikio/token/verified-token-cache';
import { buildServer, productionNodeFlags, productionWrapper } from './lib/build';
import { withPrivatePostgres } from './lib/postgres';
import { CpuMeter, residentKinds } from './lib/cpu';
import { LoadResult, runLoad } from './lib/load';
import { median } from './lib/median';
import { describeTarget, Pair, PairedRound, pairedRound, PAIRS, pairVerdict } from './lib/paired';
import { ServerProcess } from './lib/server-process';
import { MintSpec, mintTokens, TokenSource } from './lib/token-pool';
import {
  ITEMS_PAGE,
  PUBLIC,
  PUBLISHED_KEYS,
  Scenario,
  SCENARIOS,
  ServerId,
  SERVERS,
  SILENT_PUBLIC,
  TokenKind,
  productionEnvironment,
} from './lib/scenarios';

/** Warm and cold tokens spread over this many organizations, items tokens over ITEM_ORGANIZATIONS. */
const SUBJECTS = 2000;
const ITEM_ORGANIZATIONS = 40;
const MB = 1024 * 1024;
const SOAK_RUNS = 5;
/** Seconds between a soak run's end and its second memory reading (longer than jemalloc's decay). */
const SETTLE_SECONDS = 3;
/** The ≥ 3 × targets: our scenario, the stock recipe's server, where it runs. */
const STOCK_COMPARISONS = [
  ['warm', 'stock-in-app', 'in this app'],
  ['cold', 'stock-in-app', 'in this app'],
  ['warm', 'baseline', 'bare app'],
] as const;
/** Read once: every server runs with the node flags of `npm run start:prod`. */
const NODE_FLAGS = productionNodeFlags();
/** The program start:prod runs node under (bin/with-jemalloc); every server runs under it too. */
const NODE_WRAPPER = productionWrapper();

/** Fixed per run, so a server's rate-limit keys and an items page belong to known organizations. */
const organizations = (count: number): string[] =>
  Array.from({ length: count }, () => `Organization/${randomUUID()}`);

interface Args {
  readonly soak: boolean;
  /** The pairs of lib/paired.ts instead of the scenarios one after another. */
  readonly paired: boolean;
  readonly postgres: boolean;
  readonly rounds: number;
  readonly seconds: number;
  readonly connections: number;
  readonly warmupSeconds: number;
  /** Length of each soak run (60 s; shorter only to try the soak out). */
  readonly soakSeconds: number;
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
    paired: argv.includes('--paired'),
    postgres: argv.includes('--postgres'),
    rounds: number('rounds', 3),
    seconds: number('seconds', 5),
    connections: number('connections', 32),
    warmupSeconds: number('warmup', 2),
    soakSeconds: number('soak-seconds', 60),
  };
}

/** One slot of a pair: the servers the reference and the measured side ran on, and their slots. */
interface PairedSlots {
  readonly servers: readonly [ServerId, ServerId];
  readonly reference: Slot;
  readonly measured: Slot;
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

/** Ratio of two slots' server CPU per request (null when either was not measured). */
const cpuRatio = (slot: Slot, reference: Slot): number | null =>
  slot.serverMicrosPerRequest === null || !reference.serverMicrosPerRequest
    ? null
    : slot.serverMicrosPerRequest / reference.serverMicrosPerRequest;

class Bench {
  private readonly servers = new Map<ServerId, ServerProcess>();
  /** Each server's stdout: a file, so its request lines are written and drained as in production. */
  private readonly logFiles = new Map<ServerId, string>();
  private readonly warm = new Map<TokenKind, readonly string[]>();
  private readonly results = new Map<string, Slot[]>();
  private readonly pairedResults = new Map<string, PairedRound[]>();
  private readonly subjects = organizations(SUBJECTS);
  private readonly itemOrganizations = organizations(ITEM_ORGANIZATIONS);
  private scenarios: readonly Scenario[];
  /** Highest req/s seen so far: cold pools are sized from it so that no token is used twice. */
  private peakRps = 0;
  /** Microseconds of one RS256 verification with the hub's key, measured in this process. */
  private rsaFloor: number | null = null;

  private constructor(
    private readonly args: Args,
    private readonly hub: StandInHub,
    private readonly logDir: string,
  ) {
    const { only } = args;
    this.scenarios = only ? SCENARIOS.filter((scenario) => only.has(scenario.id)) : SCENARIOS;
  }

  static async run(args: Args): Promise<void> {
    const started = Date.now();
    log(`Node ${process.version}, ${availableParallelism()} cores (${cpus()[0]?.model ?? '?'})`);
    log(
      `Servers run like npm run start:prod: ${[...NODE_WRAPPER, 'node', ...NODE_FLAGS].join(' ')}`,
    );
    log('Compiling src/ and bench/ for the server processes ...');
    const entry = await buildServer();
    const hub = await StandInHub.start({ keyCount: PUBLISHED_KEYS });
    const logDir = await mkdtemp(join(tmpdir(), 'warehouse-bench-logs-'));
    const bench = new Bench(args, hub, logDir);
    try {
      await bench.withPostgres(async (postgresUrl) => {
        if (args.soak) await bench.soakWithEachDatabase(entry, postgresUrl);
        else if (args.paired) await bench.measurePairs(entry);
        else await bench.measureAll(entry, postgresUrl);
      });
    } finally {
      await bench.stopServers();
      await hub.stop();
      await rm(logDir, { recursive: true, force: true });
      log(`\nWall time: ${Math.round((Date.now() - started) / 1000)} s`);
    }
  }

  /** A private PostgreSQL for the servers that need one; without it they are skipped, loudly. */
  private async withPostgres(run: (postgresUrl: string | null) => Promise<void>): Promise<void> {
    const missing = await withPrivatePostgres(run);
    if (missing === null) return;
    log(`!!! ${missing}: the PostgreSQL servers and their scenarios are SKIPPED`);
    await run(null);
  }

  private async measureAll(entry: string, postgresUrl: string | null): Promise<void> {
    // The app always: prepare() checks its routes (and the stock swap against it).
    const ids = new Set<ServerId>(['app', ...this.scenarios.map((scenario) => scenario.server)]);
    await this.startServers(entry, [...ids], postgresUrl);
    this.scenarios = this.scenarios.filter((scenario) => this.servers.has(scenario.server));
    this.rsaFloor = this.measureRsaFloor();
    await this.prepare();
    await this.measure();
    await this.reportLogFiles();
  }

  /** --paired: the pairs of lib/paired.ts, on their servers (all on the embedded database). */
  private async measurePairs(entry: string): Promise<void> {
    const ids = new Set<ServerId>(PAIRS.flatMap((pair) => pair.servers));
    const paired = new Set(PAIRS.flatMap((pair) => [pair.reference, pair.measured]));
    // prepare() checks these routes, and seeds items only when an items scenario runs.
    this.scenarios = SCENARIOS.filter((scenario) => paired.has(scenario.id));
    await this.startServers(entry, [...ids], null);
    this.rsaFloor = this.measureRsaFloor();
    await this.prepare();
    await this.measurePaired();
    await this.reportLogFiles();
  }

  /**
   * The soak, first with the embedded database (the default configuration), then with the
   * database out of the process, as a deployment with DATABASE_URL runs.
   */
  private async soakWithEachDatabase(entry: string, postgresUrl: string | null): Promise<void> {
    log('\n== Database: embedded PGlite (no DATABASE_URL, the default) ==');
    await this.soakOn(entry, 'app');
    if (postgresUrl === null) return;
    log('\n== Database: PostgreSQL through DATABASE_URL (a private server the bench starts) ==');
    await this.soakOn(entry, 'app-pg', postgresUrl);
  }

  private async soakOn(
    entry: string,
    id: ServerId,
    postgresUrl: string | null = null,
  ): Promise<void> {
    await this.startServers(entry, [id], postgresUrl);
    await this.prepare();
    await this.soak(id);
    await this.stopServers();
  }

  /** Whether the server runs on the private PostgreSQL (its own kind, or every app with --postgres). */
  private onPostgres(id: ServerId): boolean {
    const { database } = SERVERS[id];
    return database === 'postgres' || (database === 'embedded' && this.args.postgres);
  }

  /** The environment of a server: production defaults (sandbox), the stand-in hub, its database. */
  private environment(id: ServerId, postgresUrl: string | null): Record<string, string> | null {
    const spec = SERVERS[id];
    const onPostgres = this.onPostgres(id);
    if (onPostgres && postgresUrl === null) return null;
    return {
      ...productionEnvironment(this.hub.url),
      ITEMS_TWIN_ORGANIZATION: this.itemOrganizations[0].split('/')[1],
      ...(onPostgres && postgresUrl ? { DATABASE_URL: postgresUrl } : {}),
      ...spec.env,
    };
  }

  private async startServers(
    entry: string,
    ids: readonly ServerId[],
    postgresUrl: string | null,
  ): Promise<void> {
    // The twin reads what app-pg seeded, so it starts after it.
    const ordered = [...ids].sort(
      (a, b) => Number(a === 'items-twin') - Number(b === 'items-twin'),
    );
    for (const id of ordered) {
      const env = this.environment(id, postgresUrl);
      if (env === null) continue;
      // Every server runs with production's node flags; the soak reads the heap after a full GC,
      // which needs --expose-gc.
      const execArgv = [...NODE_FLAGS, ...(this.args.soak ? ['--expose-gc'] : [])];
      const logFile = join(this.logDir, `${id}.log`);
      const stdout = openSync(logFile, 'a');
      try {
        const server = await ServerProcess.start({
          entry,
          args: [SERVERS[id].kind],
          execArgv,
          env,
          stdout,
          label: id,
          wrapper: NODE_WRAPPER,
        });
        this.servers.set(id, server);
        this.logFiles.set(id, logFile);
        const database = env.DATABASE_URL ? 'PostgreSQL' : 'embedded database';
        const allocator = memoryAllocator(server.pid);
        log(`${id} server: ${server.url} (pid ${server.pid}, ${database}, ${allocator})`);
      } finally {
        closeSync(stdout);
      }
    }
  }

  private async stopServers(): Promise<void> {
    await Promise.all([...this.servers.values()].map((server) => server.stop()));
    this.servers.clear();
  }

  private server(id: ServerId): ServerProcess {
    const server = this.servers.get(id);
    if (!server) throw new Error(`${id} server not started`);
    return server;
  }

  private spec(kidless: boolean, subs: readonly string[] = this.subjects): MintSpec {
    const kid = this.hub.signingKid;
    return {
      privateKey: this.hub.privateKeyOf(kid),
      // Signed by the newest of three keys, which a kid-less token makes the verifier find.
      kid: kidless ? null : kid,
      subs,
      scope: ['warehouse.items.rw'],
      aud: ['warehouse'],
    };
  }

  /** One RS256 verification of a bench token, synchronously in this process: the floor of cold. */
  private measureRsaFloor(): number {
    const kid = this.hub.signingKid;
    const key = createPublicKey(this.hub.privateKeyOf(kid));
    const [token] = this.warm.get('warm') ?? [this.hub.mint({ sub: this.subjects[0] }, { kid })];
    const [header, payload, signature] = token.split('.');
    const data = Buffer.from(`${header}.${payload}`);
    const bytes = Buffer.from(signature, 'base64url');
    const batch = (count: number): number => {
      const started = process.hrtime.bigint();
      for (let i = 0; i < count; i++) verify('sha256', data, key, bytes);
      return Number(process.hrtime.bigint() - started) / 1000 / count;
    };
    batch(200);
    return median(Array.from({ length: 5 }, () => batch(400)));
  }

  /**
   * Warm pools, the items the items scenarios list, and checks that every route answers and that
   * the production defaults are in force (rate-limit headers, metrics, request lines written).
   */
  private async prepare(): Promise<void> {
    this.warm.set('warm', await mintTokens(this.spec(false), SUBJECTS));
    this.warm.set('warm-kidless', await mintTokens(this.spec(true), SUBJECTS));
    this.warm.set(
      'items',
      await mintTokens(this.spec(false, this.itemOrganizations), ITEM_ORGANIZATIONS),
    );
    const seeded = new Set<string>();
    const listsItems = this.scenarios.some((scenario) => scenario.tokens === 'items');
    for (const id of listsItems ? (['app', 'app-pg'] as const) : []) {
      const server = this.servers.get(id);
      // Servers on PostgreSQL share one database: seed it once.
      const database = this.onPostgres(id) ? 'postgres' : `embedded:${id}`;
      if (!server || seeded.has(database)) continue;
      seeded.add(database);
      await this.seedItems(server.url);
    }
    await this.checkStockRecipeSwap();
    await this.checkProductionDefaults();
    for (const scenario of this.scenarios) {
      if (!this.servers.has(scenario.server)) continue;
      const response = await fetch(`${this.server(scenario.server).url}${scenario.path}`, {
        headers: {
          authorization: `Bearer ${this.warm.get(scenario.tokens === 'items' ? 'items' : 'warm')![0]}`,
        },
      });
      if (response.status !== 200) {
        throw new BenchFailure(
          `${scenario.id}: GET ${scenario.path} answered ${response.status}: ${await response.text()}`,
        );
      }
    }
  }

  /** Rate limiting and metrics on, request lines at info: what an unconfigured deployment runs. */
  private async checkProductionDefaults(): Promise<void> {
    const id = this.servers.has('app') ? 'app' : 'app-pg';
    const app = this.server(id);
    const response = await fetch(`${app.url}/api/v1/token`, {
      headers: { authorization: `Bearer ${this.warm.get('warm')![0]}` },
    });
    if (!response.headers.get('ratelimit-rule')) {
      throw new BenchFailure(`${id}: no RateLimit-Rule header, so the rate limit is not on`);
    }
    const metrics = await fetch(`${app.url}/metrics`);
    if (metrics.status !== 200)
      throw new BenchFailure(`${id}: /metrics answered ${metrics.status}`);
    // Lines are written 4 KB at a time, at least every 100 ms.
    await new Promise((resolve) => setTimeout(resolve, 300));
    if (!this.logLines(id).some((line) => line.includes('"request completed"'))) {
      throw new BenchFailure(`${id}: no request line in its log file`);
    }
  }

  private logLines(id: ServerId): string[] {
    const file = this.logFiles.get(id);
    return file ? readFileSync(file, 'utf8').split('\n').filter(Boolean) : [];
  }

  /**
   * What the servers wrote to their log files: the request lines were really written. Read line by
   * line: a run writes more than the largest string V8 can hold (512 MB) into one file.
   */
  private async reportLogFiles(): Promise<void> {
    log('');
    for (const [id, file] of this.logFiles) {
      let lines = 0;
      let requests = 0;
      for await (const line of createInterface({ input: createReadStream(file) })) {
        if (line === '') continue;
        lines += 1;
        if (line.includes('"request completed"')) requests += 1;
      }
      log(
        `${id} log file: ${fmt(statSync(file).size / MB, 1)} MB, ${lines} lines, ` +
          `${requests} of them request lines`,
      );
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

  /** A page of items in every items organization, through the API, eight requests at a time. */
  private async seedItems(url: string): Promise<void> {
    const tokens = this.warm.get('items')!;
    const jobs = tokens.flatMap((token) =>
      Array.from({ length: ITEMS_PAGE }, (_, index) => ({ token, index: index + 1 })),
    );
    const post = async ({ token, index }: { token: string; index: number }): Promise<void> => {
      const response = await fetch(`${url}/api/v1/items`, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
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
    };
    for (let next = 0; next < jobs.length; next += 8) {
      await Promise.all(jobs.slice(next, next + 8).map(post));
    }
    const page = await fetch(`${url}/api/v1/items`, {
      headers: { authorization: `Bearer ${tokens[0]}` },
    });
    const body = (await page.json()) as unknown[];
    if (!Array.isArray(body) || body.length !== ITEMS_PAGE) {
      throw new BenchFailure(`seeding items: GET /api/v1/items did not list ${ITEMS_PAGE} items`);
    }
  }

  private async tokensFor(kind: TokenKind, seconds: number): Promise<TokenSource> {
    const warm = this.warm.get(kind);
    if (warm) return new TokenSource(warm, 'cycle');
    // Twice the fastest rate seen: this VM's speed swings by that much between slots. Running out
    // is reported as a failure.
    const count = Math.ceil(this.peakRps * seconds * 2) + 20 * this.args.connections;
    return new TokenSource(await mintTokens(this.spec(kind === 'cold-kidless'), count), 'once');
  }

  private async slot(scenario: Scenario, seconds: number): Promise<Slot> {
    const tokens = await this.tokensFor(scenario.tokens, seconds);
    return this.load(scenario, tokens, seconds, scenario.server, this.args.connections);
  }

  /** One slot's load on `serverId` with tokens already minted, measured and checked. */
  private async load(
    scenario: Scenario,
    tokens: TokenSource,
    seconds: number,
    serverId: ServerId,
    connections: number,
  ): Promise<Slot> {
    const server = this.server(serverId);
    const meter = new CpuMeter(server.pid);
    const result = await runLoad({
      url: server.url,
      path: scenario.path,
      seconds,
      connections,
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

  /** Both slots of a pair, each with both sides loaded at once (half the connections each). */
  private async pairedSlots(pair: Pair, seconds: number): Promise<PairedSlots[]> {
    const scenario = (id: string): Scenario => SCENARIOS.find((entry) => entry.id === id)!;
    const [reference, measured] = [scenario(pair.reference), scenario(pair.measured)];
    const [first, second] = pair.servers;
    const placements = pair.swap
      ? [pair.servers, [second, first] as const]
      : [pair.servers, pair.servers];
    const slots: PairedSlots[] = [];
    for (const servers of placements) {
      // Tokens first (cold pools take a while to mint), so that both loads start together.
      const referenceTokens = await this.tokensFor(reference.tokens, seconds);
      const measuredTokens = await this.tokensFor(measured.tokens, seconds);
      const [referenceSlot, measuredSlot] = await Promise.all([
        this.load(reference, referenceTokens, seconds, servers[0], this.connectionsPerSide),
        this.load(measured, measuredTokens, seconds, servers[1], this.connectionsPerSide),
      ]);
      slots.push({ servers, reference: referenceSlot, measured: measuredSlot });
    }
    return slots;
  }

  /** Half the connections on each side of a pair, so a paired slot carries a normal slot's load. */
  private get connectionsPerSide(): number {
    return Math.max(1, Math.floor(this.args.connections / 2));
  }

  private async measurePaired(): Promise<void> {
    const { rounds, seconds, warmupSeconds } = this.args;
    log(`\nWarm-up: ${warmupSeconds} s per pair (JIT, pools, connections) ...`);
    for (const pair of PAIRS) await this.pairedSlots(pair, warmupSeconds);
    log(
      `\n${rounds} rounds x ${PAIRS.length} pairs x 2 slots x ${seconds} s, ` +
        `${this.connectionsPerSide} connections per side`,
    );
    log('(both sides of a pair loaded at once, then swapped; pairs reversed every other round)\n');
    log(
      `${'round'.padEnd(6)}${'pair'.padEnd(14)}${'reference µs/req (server)'.padEnd(38)}` +
        `${'measured µs/req (server)'.padEnd(38)}${'difference'.padStart(10)}`,
    );
    const side = (slot: Slot, server: ServerId): string =>
      `${fmt(slot.serverMicrosPerRequest, 1)} (${server}, ${fmt(slot.rps)} req/s)`;
    for (let round = 1; round <= rounds; round++) {
      for (const pair of round % 2 ? PAIRS : [...PAIRS].reverse()) {
        const slots = await this.pairedSlots(pair, seconds);
        const cpu = (slot: Slot): number => {
          if (slot.serverMicrosPerRequest === null) {
            throw new BenchFailure('--paired needs /proc to read the servers’ CPU time');
          }
          return slot.serverMicrosPerRequest;
        };
        const [first, second] = slots.map((slot) => ({
          reference: cpu(slot.reference),
          measured: cpu(slot.measured),
        }));
        const result = pairedRound([first, second]);
        this.pairedResults.set(pair.id, [...(this.pairedResults.get(pair.id) ?? []), result]);
        slots.forEach(({ servers, reference, measured }, index) => {
          log(
            `${String(round).padEnd(6)}${pair.id.padEnd(14)}` +
              `${side(reference, servers[0]).padEnd(38)}${side(measured, servers[1]).padEnd(38)}` +
              `${index === 1 ? fmt(result.difference, 1).padStart(10) : ''}`,
          );
        });
      }
    }
    this.reportPairs();
  }

  private reportPairs(): void {
    const { rounds, seconds } = this.args;
    log(`\n## Pairs: median of ${rounds} rounds, each round two ${seconds} s slots\n`);
    log('| pair | target | per-round differences, µs | difference | ratio | verdict |');
    log('|---|---|---|---:|---:|---|');
    for (const pair of PAIRS) {
      const results = this.pairedResults.get(pair.id) ?? [];
      if (results.length === 0) continue;
      const middle: PairedRound = {
        difference: median(results.map((result) => result.difference)),
        ratio: median(results.map((result) => result.ratio)),
      };
      const differences = results.map((result) => fmt(result.difference, 1)).join(', ');
      log(
        `| ${pair.label} | ${describeTarget(pair.target)} | ${differences} | ` +
          `${fmt(middle.difference, 1)} µs | ${fmt(middle.ratio, 3)} | ${pairVerdict(pair.target, middle)} |`,
      );
    }
    if (this.rsaFloor !== null) {
      log(
        `\nRSA-2048 verification floor (one verification, this process): ${fmt(this.rsaFloor, 1)} µs`,
      );
    }
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
    this.reportTargets();
  }

  /** A target stated in microseconds of server CPU per request: at most `bound`. */
  private cpuTarget(name: string, value: number | null, bound: number, note = ''): void {
    const verdict = value === null ? 'n/a' : value <= bound ? 'MET' : 'MISSED';
    log(`- ${name} ≤ ${bound} µs: ${fmt(value, 1)} µs — ${verdict}${note}`);
  }

  private reportTargets(): void {
    log('\n## Targets (server CPU per request, median of the per-round differences)\n');
    const floor =
      this.rsaFloor === null ? '' : ` (RSA-2048 verification floor ${fmt(this.rsaFloor, 1)} µs)`;
    this.cpuTarget(
      'a request line (public, info − silent)',
      this.cpuAbove(PUBLIC, SILENT_PUBLIC),
      5,
    );
    this.cpuTarget('warm tokens above the public twin', this.cpuAbove('warm', PUBLIC), 2);
    this.cpuTarget('cold tokens above the public twin', this.cpuAbove('cold', PUBLIC), 30, floor);
    for (const id of ['kidless-warm', 'kidless-cold', 'stock-in-app']) {
      const extra = this.cpuAbove(id, PUBLIC);
      if (extra !== null) log(`- for reference, ${id} above the public twin: ${fmt(extra, 1)} µs`);
    }
    for (const [id, reference] of [
      ['silent-warm', SILENT_PUBLIC],
      ['silent-cold', SILENT_PUBLIC],
    ]) {
      const extra = this.cpuAbove(id, reference);
      if (extra !== null) log(`- for reference, ${id} above ${reference}: ${fmt(extra, 1)} µs`);
    }
    // The issue states its targets in server CPU per request, this one included: the stock
    // recipe's CPU per request over ours (the req/s ratio is printed below for reference).
    for (const [id, stock, where] of STOCK_COMPARISONS) {
      const times = this.medianPerRound(stock, id, cpuRatio);
      const verdict = times === null ? 'n/a' : times >= 3 ? 'MET' : 'MISSED';
      log(`- ${id} ≥ 3 × the stock recipe, ${where}: ${fmt(times, 2)} × — ${verdict}`);
    }
    const items = this.medianPerRound('items-pg', 'items-twin', cpuRatio);
    const verdict = items === null ? 'n/a' : items <= 1.5 ? 'MET' : 'MISSED';
    log(`- items route on PostgreSQL ≤ 1.5 × its bare twin: ${fmt(items, 2)} × — ${verdict}`);
    const embedded = this.medianPerRound('items', 'items-twin', cpuRatio);
    if (embedded !== null) {
      log(
        `  for reference, on the embedded database (both processes): ${fmt(embedded, 2)} × the twin`,
      );
    }

    log('\n## Targets (ratios of req/s within a round, median over rounds)\n');
    const within5 = (value: number) => Math.abs(1 - value) <= 0.05;
    const targets: Array<[string, number | null, (value: number) => boolean]> = [
      ['kid-less cold within 5 % of kid cold', this.ratio('kidless-cold', 'cold'), within5],
      ['kid-less warm within 5 % of kid warm', this.ratio('kidless-warm', 'warm'), within5],
    ];
    for (const [name, value, met] of targets) {
      const verdict = value === null ? 'n/a' : met(value) ? 'MET' : 'MISSED';
      log(`- ${name}: ${fmt(value, 3)} — ${verdict}`);
    }
    for (const [id, stock, where] of STOCK_COMPARISONS) {
      log(
        `- for reference, ${id} × the stock recipe, ${where} (req/s): ${fmt(this.ratio(id, stock), 3)}`,
      );
    }
    const baseline = this.ratio('baseline', 'baseline-public');
    log(`\nFor reference: the stock recipe serves ${fmt(baseline, 2)} × its own public twin.`);
  }

  /**
   * Memory soak: SOAK_RUNS consecutive 60 s runs against an app server on the authenticated route.
   * Half the connections send tokens from a cycle through 3 × the cache's capacity (each its own
   * subject, so the rate limiter's table is as large), so every one misses and the cache stays full
   * and churning; the other half send warm tokens (hits).
   */
  private async soak(id: ServerId): Promise<void> {
    const app = this.server(id);
    const poolSize = DEFAULT_MAX_ENTRIES * 3;
    log(`\nSoak: minting ${poolSize} tokens ...`);
    const spec = this.spec(false, organizations(poolSize));
    const cycling = new TokenSource(await mintTokens(spec, poolSize), 'cycle');
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
    const after: Array<{ api: number; database: number }> = [];
    const settledAfter: Array<{ api: number; database: number }> = [];
    for (let run = 1; run <= SOAK_RUNS; run++) {
      const connections = Math.max(1, Math.floor(this.args.connections / 2));
      const path = '/api/v1/token';
      const results = await Promise.all([
        runLoad({
          url: app.url,
          path,
          seconds: this.args.soakSeconds,
          connections,
          tokens: cycling,
        }),
        runLoad({ url: app.url, path, seconds: this.args.soakSeconds, connections, tokens: warm }),
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
        `after run ${run} (${this.args.soakSeconds} s: ${missing} req/s cache misses + ${hitting} req/s hits)`,
      );
      // jemalloc hands freed pages back after MALLOC_CONF's decay (2 s, bin/with-jemalloc): what
      // the last seconds of a run freed is still resident as it ends. Both readings are reported.
      await new Promise((resolve) => setTimeout(resolve, SETTLE_SECONDS * 1000));
      const settled = await memory(`  ${SETTLE_SECONDS} s later`);
      after.push(now);
      settledAfter.push(settled);
      log(`  API process RSS < 150 MB: ${now.api < 150 * MB ? 'MET' : 'MISSED'}`);
      if (now.database) {
        log(
          `  API and embedded database processes together: ${fmt((now.api + now.database) / MB)} MB`,
        );
      }
      if (run > 2) {
        for (const [when, series] of [
          ['as the run ended', after],
          [`${SETTLE_SECONDS} s later`, settledAfter],
        ] as const) {
          const growth = (series[run - 1].api - series[1].api) / MB;
          const verdict = growth <= 10 ? 'MET (≤ 10 MB)' : 'MISSED';
          log(`  API process RSS above run 2, ${when}: ${fmt(growth, 1)} MB — ${verdict}`);
        }
        if (now.database) {
          const databaseGrowth = (now.database - after[1].database) / MB;
          log(`  embedded database process RSS above run 2: ${fmt(databaseGrowth, 1)} MB`);
        }
      }
    }
    for (const [when, series] of [
      ['as each run ended', after],
      [`${SETTLE_SECONDS} s after each run`, settledAfter],
    ] as const) {
      const worst = Math.max(...series.slice(2).map((run) => (run.api - series[1].api) / MB));
      const largest = Math.max(...series.map((run) => run.api)) / MB;
      log(
        `Soak verdict, ${when}: largest rise above run 2 in runs 3-${SOAK_RUNS}: ` +
          `${fmt(worst, 1)} MB — ${worst <= 10 ? 'MET' : 'MISSED'}; largest RSS ${fmt(largest)} MB`,
      );
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
