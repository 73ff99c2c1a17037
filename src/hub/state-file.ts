import { randomBytes } from 'node:crypto';
import { chmod, link, mkdir, readFile, rename, unlink, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { isRecord } from './http-util';
import { KeyringState, StoredKey } from './keyring';

/**
 * What the development hub keeps across restarts: its private keys (so tokens minted by the CLI
 * stay valid for the running server) and the revoked jtis. It holds private keys: mode 0600.
 */
export interface HubState extends KeyringState {
  revokedTokenIds: string[];
}

interface StateFileBody extends HubState {
  version: 1;
}

export function defaultDevStatePath(dataDir: string): string {
  return join(dataDir, 'standin-hub.json');
}

function isStoredKey(value: unknown): value is StoredKey {
  return (
    isRecord(value) &&
    typeof value.kid === 'string' &&
    (value.use === null || typeof value.use === 'string') &&
    (value.alg === null || typeof value.alg === 'string') &&
    typeof value.publishKid === 'boolean' &&
    isRecord(value.privateJwk)
  );
}

/** Never echoes file content: it holds private keys. */
function parseState(text: string, file: string): HubState {
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    throw new Error(`Stand-in hub state file ${file} is not JSON; delete it to start afresh`);
  }
  const valid =
    isRecord(body) &&
    body.version === 1 &&
    (body.signingKid === null || typeof body.signingKid === 'string') &&
    Array.isArray(body.keys) &&
    body.keys.every(isStoredKey) &&
    Array.isArray(body.revokedTokenIds) &&
    body.revokedTokenIds.every((jti) => typeof jti === 'string');
  if (!valid) {
    throw new Error(
      `Stand-in hub state file ${file} has an unknown shape; delete it to start afresh`,
    );
  }
  const { signingKid, keys, revokedTokenIds } = body as StateFileBody;
  return { signingKid, keys, revokedTokenIds };
}

function serialize(state: HubState): string {
  const body: StateFileBody = { version: 1, ...state };
  return `${JSON.stringify(body, null, 2)}\n`;
}

function tempPathFor(file: string): string {
  return `${file}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`;
}

/** Writes via a temporary file and rename, so a reader never sees half a file; mode 0600. */
export async function writeFileAtomically(file: string, text: string): Promise<void> {
  await mkdir(dirname(file), { recursive: true });
  const temp = tempPathFor(file);
  await writeFile(temp, text, { mode: 0o600 });
  await rename(temp, file);
}

export function saveState(file: string, state: HubState): Promise<void> {
  return writeFileAtomically(file, serialize(state));
}

/**
 * Reads the state, or creates the file with `create()` when missing. Creation uses link(), which
 * fails if the file appeared meanwhile, so a server and the CLI starting together agree on one
 * key set instead of the last writer silently replacing the other's keys.
 */
export async function loadOrCreateState(
  file: string,
  create: () => Promise<HubState>,
): Promise<HubState> {
  const existing = await readIfExists(file);
  if (existing !== null) return existing;
  await mkdir(dirname(file), { recursive: true });
  const state = await create();
  const temp = tempPathFor(file);
  await writeFile(temp, serialize(state), { mode: 0o600 });
  try {
    await link(temp, file);
    return state;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    const winner = await readIfExists(file);
    if (winner === null) throw error;
    return winner;
  } finally {
    await unlink(temp);
  }
}

async function readIfExists(file: string): Promise<HubState | null> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw error;
  }
  // Best effort: tighten a file that was copied around with looser permissions.
  await chmod(file, 0o600).catch(() => undefined);
  return parseState(text, file);
}
