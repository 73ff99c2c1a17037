// Stand-in hub persistence: the state file keeps keys and revocations across restarts, mode 0600.
import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { defaultDevStatePath, StandInHub } from './stand-in-hub';

describe('StandInHub state file', () => {
  let dir: string;

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'standin-hub-'));
  });

  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('names the development state file', () => {
    expect(defaultDevStatePath('/data')).toBe('/data/standin-hub.json');
  });

  it('creates the file (and its directory) with one key, readable by its owner only', async () => {
    const file = join(dir, 'nested', 'deeper', 'standin-hub.json');
    const hub = await StandInHub.start({ stateFile: file });
    await hub.stop();
    expect((await stat(file)).mode & 0o777).toBe(0o600);
    const saved = JSON.parse(await readFile(file, 'utf8'));
    expect(saved).toMatchObject({ version: 1, signingKid: hub.signingKid, revokedTokenIds: [] });
    expect(saved.keys).toHaveLength(1);
  });

  it('keeps keys, the signing key and revocations across restarts', async () => {
    const file = join(dir, 'standin-hub.json');
    const first = await StandInHub.start({ stateFile: file });
    const oldKid = first.signingKid;
    const enc = await first.addKey({ use: 'enc', publishKid: false });
    const newKid = await first.rotateKey();
    await first.revoke('jti-1');
    const token = first.mint();
    const keysBefore = await (await fetch(`${first.url}/api/v1/jwt_public_keys`)).text();
    await first.stop();

    const second = await StandInHub.start({ stateFile: file });
    try {
      expect(second.kids).toEqual([oldKid, enc, newKid]);
      expect(second.signingKid).toBe(newKid);
      expect(second.revokedTokenIds).toEqual(['jti-1']);
      expect(await (await fetch(`${second.url}/api/v1/jwt_public_keys`)).text()).toBe(keysBefore);
      expect(second.mint().split('.')[0]).toBe(token.split('.')[0]);
      await second.removeKey(oldKid);
    } finally {
      await second.stop();
    }
    const keyring = await StandInHub.loadKeyring(file);
    expect(keyring.kids).toEqual([enc, newKid]);
  });

  it('loadKeyring creates a missing file and mints with the key a later hub publishes', async () => {
    const file = join(dir, 'standin-hub.json');
    const keyring = await StandInHub.loadKeyring(file);
    const hub = await StandInHub.start({ stateFile: file });
    try {
      expect(hub.kids).toEqual(keyring.kids);
      expect(keyring.signingKid).toBe(hub.signingKid);
    } finally {
      await hub.stop();
    }
  });

  it('agrees on one key set when two starts race on a missing file', async () => {
    const file = join(dir, 'standin-hub.json');
    const [a, b] = await Promise.all([StandInHub.loadKeyring(file), StandInHub.loadKeyring(file)]);
    expect(a.kids).toEqual(b.kids);
  });

  it('refuses a corrupt file without echoing its content', async () => {
    const file = join(dir, 'standin-hub.json');
    await writeFile(file, 'SECRET-NOT-JSON');
    await expect(StandInHub.start({ stateFile: file })).rejects.toThrow(/is not JSON; delete it/);
    await writeFile(file, '{"version":2}');
    const error = await StandInHub.start({ stateFile: file }).catch((e: Error) => e);
    expect((error as Error).message).toMatch(/unknown shape/);
    expect((error as Error).message).not.toContain('version');
  });
});
