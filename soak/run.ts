// Threat: an unreliable hub under hostile load; soak that proves no 5xx, crash, lockout or leak.
/**
 * `npm run soak`: the real app in a child process, loaded on loopback while its stand-in hub flaps
 * between healthy and failing (500s, hangs, garbage, empty keys, resets, truncated and huge
 * bodies). Threat: an unreliable hub plus hostile clients must never cause a 5xx, a crash, a
 * rejected valid token, an accepted forged one, or growing memory. Exits non-zero on any of those.
 *
 *   npm run soak                          60 s, the hub changes state every 3 s
 *   npm run soak -- --duration 20 --flap 2 --connections 8
 */
import autocannon from 'autocannon';
import { generateKeyPairSync, randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { StandInHub } from '../src/hub';
import type { Fault, HubEndpoint } from '../src/hub/faults';
import { ServerProcess } from '../bench/lib/server-process';

interface Options {
  readonly duration: number;
  readonly flap: number;
  readonly connections: number;
}

function parseArgs(argv: string[]): Options {
  const options = { duration: 60, flap: 3, connections: 8 };
  for (let i = 0; i < argv.length; i++) {
    const name = argv[i].replace(/^--/, '') as keyof typeof options;
    const value = Number(argv[i + 1]);
    if (!(name in options) || !Number.isFinite(value) || value <= 0) {
      throw new Error(`unknown or invalid option ${argv[i]} ${argv[i + 1] ?? ''}`);
    }
    options[name] = value;
    i++;
  }
  return options;
}

/** One state of the hub; applied to all three endpoints at once. */
interface HubState {
  readonly label: string;
  readonly keys: Fault | null;
  readonly others: Fault | null;
}

const HUB_STATES: readonly HubState[] = [
  { label: 'healthy', keys: null, others: null },
  { label: '500', keys: { type: 'status', status: 500 }, others: { type: 'status', status: 500 } },
  { label: 'healthy', keys: null, others: null },
  { label: 'hang', keys: { type: 'hang' }, others: { type: 'hang' } },
  { label: 'garbage', keys: { type: 'non-json' }, others: { type: 'body', body: '{"x":' } },
  { label: 'healthy', keys: null, others: null },
  { label: 'empty-keys', keys: { type: 'empty-keys' }, others: { type: 'status', status: 429 } },
  { label: 'reset', keys: { type: 'reset' }, others: { type: 'truncated' } },
  { label: 'healthy', keys: null, others: null },
  {
    label: 'huge',
    keys: { type: 'huge', bytes: 3_000_000, chunked: true },
    others: { type: 'wrong-content-type' },
  },
  { label: 'slow', keys: { type: 'delay', ms: 2_000 }, others: { type: 'delay', ms: 2_000 } },
];

/** Valid tokens: two keys, with and without kid, three routes' worth of scopes. */
function validTokens(hub: StandInHub, count: number): string[] {
  return Array.from({ length: count }, (_, i) => {
    const kid = hub.kids[i % hub.kids.length];
    return hub.mint(
      {
        sub: `Organization/soak-org-${i % 20}`,
        scope: ['warehouse.items.rw'],
        exp: Math.floor(Date.now() / 1000) + 3 * 3600,
      },
      { kid, includeKid: i % 3 !== 0 },
    );
  });
}

/** Hostile tokens: unpublished keys, alg none, unknown kids, tampered payloads, garbage. */
function hostileTokens(hub: StandInHub, count: number): string[] {
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
  const claims = { sub: 'Organization/attacker', scope: ['warehouse.items.rw'] };
  return Array.from({ length: count }, (_, i) => {
    switch (i % 5) {
      case 0:
        return hub.mint(claims, { kid: hub.kids[0], privateKey });
      case 1:
        return `${b64({ alg: 'none' })}.${b64({ iss: 'ZAI', ...claims })}.`;
      case 2:
        return hub.mint(claims, { header: { kid: `unknown-${randomUUID()}` } });
      case 3: {
        const [h, , s] = hub.mint({ ...claims, scope: [] }).split('.');
        return `${h}.${b64({ iss: 'ZAI', exp: 9e9, aud: ['warehouse'], ...claims })}.${s}`;
      }
      default:
        return `garbage.${randomUUID()}.x`;
    }
  });
}

interface LoadSummary {
  requests: number;
  statusCodes: Record<string, number>;
  non2xx: number;
  errors: number;
  timeouts: number;
}

function load(
  url: string,
  seconds: number,
  connections: number,
  tokens: string[],
): Promise<LoadSummary> {
  let next = 0;
  const paths = ['/api/v1/token', '/api/v1/items?per_page=5', '/api/v1/token'];
  return autocannon({
    url,
    connections,
    duration: seconds,
    timeout: 10,
    requests: [
      {
        method: 'GET',
        setupRequest: (request) => {
          next += 1;
          return {
            ...request,
            path: paths[next % paths.length],
            headers: { authorization: `Bearer ${tokens[next % tokens.length]}` },
          };
        },
      },
    ],
  }).then((result) => {
    const statusCodes: Record<string, number> = {};
    for (const [code, stats] of Object.entries(result.statusCodeStats ?? {})) {
      statusCodes[code] = stats.count ?? 0;
    }
    return {
      requests: result.requests.total,
      statusCodes,
      non2xx: result.non2xx,
      errors: result.errors,
      timeouts: result.timeouts,
    };
  });
}

const MB = 1024 * 1024;
const median = (values: number[]) =>
  [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

async function main(): Promise<void> {
  const options = parseArgs(process.argv.slice(2));
  const startedAt = Date.now();
  const hub = await StandInHub.start({ keyCount: 2 });
  const server = await ServerProcess.start({
    entry: join(__dirname, 'server.ts'),
    args: [hub.url],
    execArgv: ['-r', '@swc-node/register', '--expose-gc'],
    label: 'soak',
  });
  const failures: string[] = [];
  const samples: Array<{ t: number; rss: number; heapUsed: number }> = [];
  const stateLog: string[] = [];
  let flapTimer: NodeJS.Timeout | undefined;
  let sampleTimer: NodeJS.Timeout | undefined;
  try {
    const valid = validTokens(hub, 600);
    const hostile = hostileTokens(hub, 200);
    console.log(
      `soak: ${options.duration} s, hub state every ${options.flap} s, ${options.connections}+2 ` +
        `connections, server pid-child at ${server.url}, hub ${hub.url}`,
    );

    let step = 0;
    const endpoints: HubEndpoint[] = ['keys', 'roles', 'revoked'];
    const flap = () => {
      const state = HUB_STATES[step % HUB_STATES.length];
      step += 1;
      hub.setFault('keys', state.keys);
      for (const endpoint of endpoints.slice(1)) hub.setFault(endpoint, state.others);
      stateLog.push(state.label);
    };
    flapTimer = setInterval(flap, options.flap * 1000);
    const t0 = Date.now();
    const sample = async () => {
      try {
        const { rss, heapUsed } = await server.memory(true);
        samples.push({ t: (Date.now() - t0) / 1000, rss, heapUsed });
      } catch {
        // A missing answer shows up as the child being dead below.
      }
    };
    await sample();
    sampleTimer = setInterval(() => void sample(), 2_000);

    const [good, bad] = await Promise.all([
      load(server.url, options.duration, options.connections, valid),
      load(server.url, options.duration, 2, hostile),
    ]);
    clearInterval(flapTimer);
    clearInterval(sampleTimer);
    await sample();

    // Afterwards, with the hub healthy again, the server still serves a brand-new token.
    for (const endpoint of endpoints) hub.setFault(endpoint, null);
    const fresh = validTokens(hub, 1)[0];
    const after = await fetch(`${server.url}/api/v1/token`, {
      headers: { authorization: `Bearer ${fresh}` },
    });

    const count5xx = (summary: LoadSummary) =>
      Object.entries(summary.statusCodes)
        .filter(([code]) => code.startsWith('5'))
        .reduce((sum, [, n]) => sum + n, 0);
    const count2xx = (summary: LoadSummary) =>
      Object.entries(summary.statusCodes)
        .filter(([code]) => code.startsWith('2'))
        .reduce((sum, [, n]) => sum + n, 0);

    if (good.requests === 0) failures.push('no valid requests were made');
    if (good.non2xx > 0) failures.push(`${good.non2xx} valid-token requests were not 2xx`);
    if (good.errors > 0 || good.timeouts > 0) {
      failures.push(`${good.errors} errors / ${good.timeouts} timeouts on valid requests`);
    }
    if (count5xx(good) + count5xx(bad) > 0) failures.push('the server answered 5xx');
    if (count2xx(bad) > 0) failures.push(`${count2xx(bad)} hostile requests were authorized`);
    if (bad.errors > 0 || bad.timeouts > 0) {
      failures.push(`${bad.errors} errors / ${bad.timeouts} timeouts on hostile requests`);
    }
    if (!server.alive) failures.push(`the server process died (exit ${server.exitCode})`);
    if (after.status !== 200) failures.push(`a fresh token after the soak got ${after.status}`);

    // Memory: the steady state after warm-up (20-40 % of the run) against the last 20 %.
    const inWindow = (from: number, to: number, pick: (s: (typeof samples)[number]) => number) =>
      samples
        .filter((s) => s.t >= options.duration * from && s.t <= options.duration * to)
        .map(pick);
    let growthMb = NaN;
    let heapGrowthMb = NaN;
    const early = inWindow(0.2, 0.4, (s) => s.rss);
    const late = inWindow(0.8, 1.1, (s) => s.rss);
    if (early.length === 0 || late.length === 0) {
      failures.push('too few memory samples');
    } else {
      // RSS: V8 and PGlite reserve memory in steps, so a bounded rise is not a leak.
      const baseline = median(early);
      const growth = median(late) - baseline;
      growthMb = growth / MB;
      const allowed = Math.max(64 * MB, baseline * 0.2);
      if (growth > allowed) {
        failures.push(
          `RSS grew ${growthMb.toFixed(1)} MB (allowed ${(allowed / MB).toFixed(0)} MB)`,
        );
      }
      // The live heap after a full GC is the leak detector proper.
      const heapGrowth =
        median(inWindow(0.8, 1.1, (s) => s.heapUsed)) -
        median(inWindow(0.2, 0.4, (s) => s.heapUsed));
      heapGrowthMb = heapGrowth / MB;
      if (heapGrowth > 16 * MB) {
        failures.push(`live heap grew ${heapGrowthMb.toFixed(1)} MB after GC (allowed 16 MB)`);
      }
    }

    const summary = {
      seconds: Math.round((Date.now() - startedAt) / 1000),
      hubStates: stateLog.join(' → '),
      valid: { ...good, rps: Math.round(good.requests / options.duration) },
      hostile: bad,
      hubRequests: {
        keys: hub.requestCount('keys'),
        roles: hub.requestCount('roles'),
        revoked: hub.requestCount('revoked'),
      },
      rssMb: samples.map((s) => Math.round(s.rss / MB)),
      heapAfterGcMb: samples.map((s) => Math.round(s.heapUsed / MB)),
      rssGrowthMb: Number(growthMb.toFixed(1)),
      heapAfterGcGrowthMb: Number(heapGrowthMb.toFixed(1)),
      freshTokenAfterSoak: after.status,
    };
    console.log(JSON.stringify(summary, null, 2));
  } finally {
    clearInterval(flapTimer);
    clearInterval(sampleTimer);
    await server.stop();
    await hub.stop();
  }
  if (failures.length > 0) {
    console.log(`SOAK FAILED:\n- ${failures.join('\n- ')}`);
    process.exitCode = 1;
  } else {
    console.log(
      'SOAK PASSED: zero 5xx, zero rejected valid tokens, zero accepted forgeries, memory flat',
    );
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
