// Token CLI: argument parsing (subjects, on-behalf roles bitfield, scopes, aud, ttl) and real runs.
import { execFile } from 'node:child_process';
import { createPublicKey, verify } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { defaultDevStatePath, StandInHub } from './stand-in-hub';
import { appScopes } from './development-hub';
import { main, parseTokenArgs, TokenCliUsageError } from './token-cli';
import { DEFAULT_ROLES } from './claims';

const run = promisify(execFile);

function request(argv: string[]) {
  const parsed = parseTokenArgs(argv);
  if (parsed.help) throw new Error('unexpected help');
  return parsed.request;
}

function decode(token: string): [Record<string, unknown>, Record<string, unknown>] {
  const [h, p] = token.split('.');
  return [
    JSON.parse(Buffer.from(h, 'base64url').toString('utf8')) as Record<string, unknown>,
    JSON.parse(Buffer.from(p, 'base64url').toString('utf8')) as Record<string, unknown>,
  ];
}

describe('parseTokenArgs', () => {
  it('mints an organization token with all app scopes by default', () => {
    expect(request(['--org', '123'])).toEqual({
      sub: 'Organization/123',
      aud: ['warehouse'],
      scope: ['warehouse.items.rw', 'warehouse.settings.rw'],
      ttlSeconds: 3600,
      includeKid: true,
    });
  });

  it("takes the default audience and scopes from the server's app", () => {
    const parsed = parseTokenArgs(['--org', '1'], {
      appName: 'depot',
      audience: 'depot/prod',
      roles: DEFAULT_ROLES,
    });
    expect(parsed).toMatchObject({
      request: { aud: ['depot/prod'], scope: appScopes('depot') },
    });
    expect(appScopes('depot')).toEqual(['depot.items.rw', 'depot.settings.rw']);
  });

  it('mints a person token', () => {
    expect(request(['--person', 'p-1']).sub).toBe('Person/p-1');
  });

  it('mints an on-behalf token with the roles bitfield', () => {
    const parsed = request(['--org', 'o', '--person', 'p', '--roles', 'owner,admin']);
    expect(parsed.sub).toBe('Person/p>Organization/o');
    expect(parsed.roles).toBe(3);
    expect(request(['--org', 'o', '--person', 'p', '--roles', 'member, designer']).roles).toBe(
      4 + 128,
    );
    expect(request(['--org', 'o', '--person', 'p']).roles).toBeUndefined();
  });

  it('reads scope, aud (empty allowed), ttl, jti and --no-kid', () => {
    expect(
      request([
        '--org=1',
        '--scope',
        'warehouse.items.r,directory.organization.r',
        '--aud',
        'warehouse/prod,other',
        '--ttl=-60',
        '--jti',
        'j-1',
        '--no-kid',
      ]),
    ).toEqual({
      sub: 'Organization/1',
      aud: ['warehouse/prod', 'other'],
      scope: ['warehouse.items.r', 'directory.organization.r'],
      ttlSeconds: -60,
      jti: 'j-1',
      includeKid: false,
    });
    expect(request(['--org', '1', '--aud', '']).aud).toEqual([]);
    expect(request(['--org', '1', '--scope', '']).scope).toEqual([]);
  });

  it.each([
    [['--org', '123', '--personal'], 'Organization/123'],
    [['--person', 'p-1', '--personal'], 'Person/p-1'],
  ])('mints %j as a private access token: aud = the bearer, a year', (argv, bearer) => {
    expect(request(argv)).toMatchObject({
      sub: bearer,
      aud: [bearer],
      ttlSeconds: 365 * 24 * 3600,
      includeKid: true,
    });
    expect(request([...argv, '--ttl', '600']).ttlSeconds).toBe(600);
  });

  it('recognizes --help', () => {
    expect(parseTokenArgs(['--help'])).toEqual({ help: true });
    expect(parseTokenArgs(['--org', '1', '-h'])).toEqual({ help: true });
  });

  it.each([
    [[], /--org <id>, --person <id>, or both/],
    [['--org', '1', '--roles', 'owner'], /--roles needs an on-behalf token/],
    [['--org', '1', '--person', '2', '--roles', 'root'], /Unknown role "root"/],
    [['--org', '1', '--ttl', 'soon'], /--ttl must be whole seconds/],
    [['--org', ''], /--org needs a value/],
    [['--org', '1', '--bogus'], /Unknown option '--bogus'/],
    [['--org', '1', 'extra'], /positional/],
    [['--org'], /argument missing/],
    [['--org', '1', '--person', '2', '--personal'], /not an on-behalf token/],
    [['--org', '1', '--personal', '--aud', 'warehouse'], /leave out --aud/],
  ])('rejects %j', (argv, message) => {
    expect(() => parseTokenArgs(argv)).toThrow(TokenCliUsageError);
    expect(() => parseTokenArgs(argv)).toThrow(message);
  });
});

describe('token CLI', () => {
  let dir: string;

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'token-cli-'));
  });

  afterEach(async () => {
    jest.restoreAllMocks();
    await rm(dir, { recursive: true, force: true });
  });

  function capture(): { out: string[]; err: string[] } {
    const out: string[] = [];
    const err: string[] = [];
    jest.spyOn(process.stdout, 'write').mockImplementation((chunk) => out.push(String(chunk)) > 0);
    jest.spyOn(process.stderr, 'write').mockImplementation((chunk) => err.push(String(chunk)) > 0);
    return { out, err };
  }

  it('prints only a token the hub on the same state file publishes the key of', async () => {
    const { out, err } = capture();
    const code = await main(['--org', 'o', '--person', 'p', '--roles', 'owner', '--ttl', '60'], {
      DATA_DIR: dir,
    });
    jest.restoreAllMocks();
    expect(code).toBe(0);
    expect(err).toEqual([]);
    expect(out).toHaveLength(1);
    const token = out[0].trimEnd();
    expect(out[0]).toBe(`${token}\n`);

    const [header, payload] = decode(token);
    expect(payload).toMatchObject({ sub: 'Person/p>Organization/o', roles: 1, iss: 'ZAI' });
    expect((payload.exp as number) - (payload.nbf as number)).toBe(65);

    const hub = await StandInHub.start({ stateFile: defaultDevStatePath(dir) });
    try {
      const jwk = hub.publicJwkOf(header.kid as string);
      const [h, p, s] = token.split('.');
      const key = createPublicKey({ key: { kty: jwk.kty, n: jwk.n, e: jwk.e }, format: 'jwk' });
      expect(verify('sha256', Buffer.from(`${h}.${p}`), key, Buffer.from(s, 'base64url'))).toBe(
        true,
      );
    } finally {
      await hub.stop();
    }
  });

  it('prints a private access token shaped as the hub makes them (kid, no typ)', async () => {
    const { out } = capture();
    expect(await main(['--person', 'p-1', '--personal'], { DATA_DIR: dir })).toBe(0);
    jest.restoreAllMocks();
    const [header, payload] = decode(out[0].trim());
    expect(Object.keys(header).sort()).toEqual(['alg', 'kid']);
    expect(payload).toMatchObject({ sub: 'Person/p-1', aud: ['Person/p-1'], iss: 'ZAI' });
  });

  it('mints for the app and audience the server is configured with', async () => {
    const { out } = capture();
    const env = { DATA_DIR: dir, ZAIKIO_APP_NAME: 'depot', ZAIKIO_AUDIENCES: 'depot/prod,depot' };
    expect(await main(['--org', 'o'], env)).toBe(0);
    jest.restoreAllMocks();
    expect(decode(out[0].trim())[1]).toMatchObject({
      aud: ['depot/prod'],
      scope: ['depot.items.rw', 'depot.settings.rw'],
    });
  });

  it('refuses an environment the server would refuse, naming the variable', async () => {
    const { out, err } = capture();
    expect(await main(['--org', 'o'], { DATA_DIR: dir, ZAIKIO_APP_NAME: 'Not-An-App' })).toBe(2);
    jest.restoreAllMocks();
    expect(out).toEqual([]);
    expect(err.join('')).toContain('ZAIKIO_APP_NAME');
  });

  it('writes usage to stderr: exit 2 on errors, 0 on --help', async () => {
    const { out, err } = capture();
    expect(await main(['--roles', 'owner'], { DATA_DIR: dir })).toBe(2);
    expect(await main(['--help'], { DATA_DIR: dir })).toBe(0);
    jest.restoreAllMocks();
    expect(out).toEqual([]);
    expect(err.join('')).toContain('Usage: npm run -s token');
  });

  it('runs as a script and prints exactly one line', async () => {
    const root = resolve(__dirname, '../..');
    const { stdout } = await run(
      process.execPath,
      [
        '-r',
        '@swc-node/register',
        'src/hub/token-cli.ts',
        '--org',
        '1',
        '--person',
        '2',
        '--roles',
        'owner',
      ],
      { cwd: root, env: { ...process.env, DATA_DIR: dir } },
    );
    expect(stdout).toMatch(/^[\w-]+\.[\w-]+\.[\w-]+\n$/);
    expect(decode(stdout.trim())[1]).toMatchObject({ roles: 1 });
    await expect(
      run(process.execPath, ['-r', '@swc-node/register', 'src/hub/token-cli.ts'], {
        cwd: root,
        env: { ...process.env, DATA_DIR: dir },
      }),
    ).rejects.toMatchObject({ code: 2, stdout: '' });
  }, 30_000);
});
