// Token CLI `add …`: parsing and validation of directory additions, and real runs on a DATA_DIR.
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEFAULT_ROLES } from './claims';
import {
  applyAddition,
  DirectoryAddition,
  DirectoryDefaults,
  DirectoryRefusal,
  DirectoryUsageError,
  parseDirectoryArgs,
} from './directory-cli';
import { emptyDirectory, FileDirectoryStore } from './oauth/directory';
import { defaultDirectoryPath } from './oauth/seed';
import { main } from './token-cli';

const DEFAULTS: DirectoryDefaults = {
  audience: 'warehouse',
  scopes: ['warehouse.items.rw'],
  roles: DEFAULT_ROLES,
};

const parse = (...argv: string[]) => parseDirectoryArgs(argv, DEFAULTS);

function usageError(...argv: string[]): string {
  try {
    parse(...argv);
  } catch (error) {
    if (error instanceof DirectoryUsageError) return error.message;
    throw error;
  }
  throw new Error('expected a usage error');
}

describe('parseDirectoryArgs', () => {
  it('adds persons and organizations, named after their id unless --name says', () => {
    expect(parse('person', 'pat')).toEqual({ kind: 'person', value: { id: 'pat', name: 'pat' } });
    expect(parse('organization', 'acme', '--name', 'Acme Inc')).toEqual({
      kind: 'organization',
      value: { id: 'acme', name: 'Acme Inc' },
    });
  });

  it('adds a membership with known roles only', () => {
    expect(
      parse('membership', '--person', 'pat', '--org', 'acme', '--roles', 'owner,admin'),
    ).toEqual({
      kind: 'membership',
      value: { personId: 'pat', organizationId: 'acme', roles: ['owner', 'admin'] },
    });
    expect(usageError('membership', '--person', 'pat', '--org', 'acme', '--roles', 'boss')).toMatch(
      /^unknown role "boss"; roles are owner, admin, member/,
    );
    expect(usageError('membership', '--person', 'pat', '--org', 'acme')).toBe(
      '--roles needs at least one role id',
    );
  });

  it('adds a confidential client with a fresh secret and the app scopes for both bearer kinds', () => {
    const added = parse('client', 'erp', '--redirect-uri', 'http://127.0.0.1:9/cb');
    if (added.kind !== 'client') throw new Error('expected a client');
    expect(added.value).toMatchObject({
      id: 'erp',
      appName: 'warehouse',
      credentialsName: null,
      redirectUris: ['http://127.0.0.1:9/cb'],
      desiredScopes: ['Org.warehouse.items.rw', 'Per.warehouse.items.rw'],
    });
    expect(added.value.secret).toMatch(/^[A-Za-z0-9_-]{32}$/);
    const again = parse('client', 'erp');
    expect(again.kind === 'client' && again.value.secret).not.toBe(added.value.secret);
  });

  it('takes a public client, a credentials name and desired scopes', () => {
    const added = parse(
      'client',
      'spa',
      '--public',
      '--redirect-uri',
      'http://localhost:5173/cb',
      '--redirect-uri',
      'http://127.0.0.1:5173/cb',
      '--credentials-name',
      'web',
      '--scope',
      'Per.warehouse.settings.r',
    );
    expect(added).toEqual({
      kind: 'client',
      value: {
        id: 'spa',
        secret: null,
        appName: 'warehouse',
        credentialsName: 'web',
        redirectUris: ['http://localhost:5173/cb', 'http://127.0.0.1:5173/cb'],
        desiredScopes: ['Per.warehouse.settings.r'],
      },
    });
  });

  it("follows a credentials audience of the server's configuration", () => {
    const added = parseDirectoryArgs(['client', 'erp'], { ...DEFAULTS, audience: 'depot/prod' });
    expect(added.kind === 'client' && added.value).toMatchObject({
      appName: 'depot',
      credentialsName: 'prod',
    });
  });

  it.each([
    [['client', 'erp', '--credentials-name', 'toolong'], /^--credentials-name must be 1-4/],
    [['client', 'erp', '--redirect-uri', 'cb'], /^redirect URI "cb" must be an absolute URL/],
    [['client', 'erp', '--redirect-uri', 'http://x.test/#a'], /without #$/],
    [['client', 'spa', '--public'], /give --redirect-uri$/],
    [['client', 'spa', '--public', '--secret', 's'.repeat(20)], /has no --secret$/],
    [['client', 'erp', '--secret', 'short'], /at least 16 characters$/],
    [
      ['client', 'erp', '--scope', 'warehouse.items.rw'],
      /^scope "warehouse.items.rw" is malformed/,
    ],
    [['client', 'Bad_Id'], /^the client id "Bad_Id" must be lower-case/],
    [['grant', '--client', 'erp', '--scope', 'warehouse.items.r'], /--org <id> or --person <id>$/],
    [
      ['grant', '--client', 'erp', '--org', 'acme', '--scope', 'Org.warehouse.items.r'],
      /malformed/,
    ],
    [['person', 'pat', '--roles', 'admin'], /^add person does not take --roles$/],
    [['person'], /^the person id is missing$/],
    [['robot', 'r2'], /^cannot add "robot"/],
    [[], /^add what\?/],
    [['person', 'pat', '--colour', 'red'], /Unknown option '--colour'/],
  ])('refuses %j', (argv, message) => {
    expect(usageError(...argv)).toMatch(message);
  });
});

describe('applyAddition', () => {
  const add = (...argv: string[]): DirectoryAddition => parse(...argv);

  it('refuses duplicates and references to persons, organizations or clients that do not exist', () => {
    const data = emptyDirectory();
    applyAddition(data, add('person', 'pat'));
    const refusal = (addition: DirectoryAddition) => {
      try {
        applyAddition(data, addition);
      } catch (error) {
        if (error instanceof DirectoryRefusal) return error.message;
        throw error;
      }
      return 'added';
    };
    expect(refusal(add('person', 'pat'))).toBe('person "pat" exists');
    const membership = add('membership', '--person', 'pat', '--org', 'acme', '--roles', 'admin');
    expect(refusal(membership)).toBe('there is no organization "acme"');
    applyAddition(data, add('organization', 'acme'));
    expect(refusal(membership)).toBe('added');
    expect(refusal(membership)).toBe('"pat" is already a member of "acme"');
    const grant = add('grant', '--client', 'erp', '--org', 'acme', '--scope', 'warehouse.items.r');
    expect(refusal(grant)).toBe('there is no client "erp"');
    applyAddition(data, add('client', 'erp'));
    expect(refusal(grant)).toBe('added');
    expect(data.grants).toEqual([
      { clientId: 'erp', bearer: 'Organization/acme', scopes: ['warehouse.items.r'] },
    ]);
  });
});

describe('npm run token -- add (real runs)', () => {
  let dataDir: string;
  let out: string[];
  let err: string[];
  let spies: jest.SpyInstance[];

  beforeEach(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'directory-cli-'));
    out = [];
    err = [];
    spies = [
      jest.spyOn(process.stdout, 'write').mockImplementation((c) => out.push(String(c)) > 0),
      jest.spyOn(process.stderr, 'write').mockImplementation((c) => err.push(String(c)) > 0),
    ];
  });

  afterEach(async () => {
    for (const spy of spies) spy.mockRestore();
    await rm(dataDir, { recursive: true, force: true });
  });

  const run = (...argv: string[]) => main(['add', ...argv], { DATA_DIR: dataDir });

  it("writes the hub's own directory file and prints the client's secret once", async () => {
    expect(await run('client', 'erp', '--secret', 'a-secret-of-20-chars')).toBe(0);
    const printed = JSON.parse(out.join('')) as { client: { id: string; secret: string } };
    expect(printed.client).toMatchObject({ id: 'erp', secret: 'a-secret-of-20-chars' });
    expect(err.join('')).toMatch(/shown only now/);
    const stored = await new FileDirectoryStore(defaultDirectoryPath(dataDir)).read();
    expect(stored.clients.map((c) => c.id)).toEqual(['erp']);
    const text = await readFile(defaultDirectoryPath(dataDir), 'utf8');
    expect(JSON.parse(text)).toMatchObject({ version: 1 });
  });

  it('exits 1 on a refusal and 2 on a usage error, changing nothing', async () => {
    expect(await run('person', 'pat')).toBe(0);
    expect(await run('person', 'pat')).toBe(1);
    expect(err.join('')).toMatch(/not added: person "pat" exists/);
    expect(await run('membership', '--person', 'pat')).toBe(2);
    const stored = await new FileDirectoryStore(defaultDirectoryPath(dataDir)).read();
    expect(stored.persons).toEqual([{ id: 'pat', name: 'pat' }]);
    expect(stored.memberships).toEqual([]);
  });
});
