/**
 * `npm run -s token -- --org 123` prints a token the development server accepts: it signs with the
 * keys of the development hub's state file ($DATA_DIR/standin-hub.json), and its default audience
 * and scopes follow the server's own configuration (ZAIKIO_APP_NAME, ZAIKIO_AUDIENCES). Only the
 * token goes to stdout, so `TOKEN=$(npm run -s token -- …)` works; usage and errors go to stderr.
 */
import { mkdir } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import type { AppConfig } from '../config';
import { ConfigError, parseConfig } from '../config/parse-config';
import {
  Claims,
  DEFAULT_ROLES,
  HubRole,
  PRIVATE_ACCESS_TOKEN_TTL_SECONDS,
  roleBitsFor,
} from './claims';
import { appScopes, developmentAudience } from './development-hub';
import {
  applyAddition,
  DIRECTORY_USAGE,
  DirectoryRefusal,
  DirectoryUsageError,
  parseDirectoryArgs,
  printable,
} from './directory-cli';
import { FileDirectoryStore } from './oauth/directory';
import { defaultDirectoryPath } from './oauth/seed';
import { defaultDevStatePath, StandInHub } from './stand-in-hub';

/** What a token is minted for when the options do not say: the server's app and audience. */
export interface TokenDefaults {
  readonly appName: string;
  readonly audience: string;
  readonly roles: readonly HubRole[];
}

/** The defaults for a server configured as `config`. */
function tokenDefaults(config: AppConfig): TokenDefaults {
  return { appName: config.appName, audience: developmentAudience(config), roles: DEFAULT_ROLES };
}

/** An unconfigured server's (the configuration's own defaults). */
const UNCONFIGURED = tokenDefaults(parseConfig({}));

export function usage({ appName, audience }: TokenDefaults = UNCONFIGURED): string {
  return `Usage: npm run -s token -- [options]

Mints a Zaikio access token signed by the development stand-in hub ($DATA_DIR/standin-hub.json).
Defaults follow the server's configuration (ZAIKIO_APP_NAME, ZAIKIO_AUDIENCES).

  --org <id>          Organization token (sub Organization/<id>)
  --person <id>       Person token (sub Person/<id>); with --org an on-behalf token
  --roles <ids>       Comma list of role ids, e.g. owner,admin (on-behalf tokens only)
  --scope <scopes>    Comma list (default: ${appScopes(appName).join(',')})
  --personal          Private access token of --org or --person, as the hub makes them:
                      aud = the bearer itself, valid a year (unless --ttl)
  --aud <apps>        Comma list (default: ${audience}); --aud '' for an empty aud
  --ttl <seconds>     Lifetime (default 3600); negative mints an expired token
  --jti <id>          Token id (default: a random UUID)
  --no-kid            Leave kid out of the header
  --help              Show this help

       npm run -s token -- add person|organization|membership|client|grant …
Adds to the development hub's directory ($DATA_DIR/standin-directory.json);
\`npm run -s token -- add --help\` lists the options.
`;
}

/** What to mint; the CLI adds nbf/exp from the clock. */
export interface TokenRequest {
  sub: string;
  aud: string[];
  scope: string[];
  /** Bitfield; only for on-behalf tokens. */
  roles?: number;
  ttlSeconds: number;
  jti?: string;
  includeKid: boolean;
}

export type ParsedTokenArgs = { help: true } | { help: false; request: TokenRequest };

export class TokenCliUsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'TokenCliUsageError';
  }
}

function list(value: string): string[] {
  return value
    .split(',')
    .map((entry) => entry.trim())
    .filter((entry) => entry !== '');
}

function nonEmpty(value: string | undefined, flag: string): string | undefined {
  if (value !== undefined && value.trim() === '')
    throw new TokenCliUsageError(`${flag} needs a value`);
  return value?.trim();
}

/** Pure: argv (without node and script) to a TokenRequest; throws TokenCliUsageError. */
export function parseTokenArgs(
  argv: readonly string[],
  defaults: TokenDefaults = UNCONFIGURED,
): ParsedTokenArgs {
  let values;
  try {
    ({ values } = parseArgs({
      args: [...argv],
      strict: true,
      allowPositionals: false,
      options: {
        org: { type: 'string' },
        person: { type: 'string' },
        roles: { type: 'string' },
        scope: { type: 'string' },
        aud: { type: 'string' },
        ttl: { type: 'string' },
        jti: { type: 'string' },
        'no-kid': { type: 'boolean' },
        personal: { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
    }));
  } catch (error) {
    throw new TokenCliUsageError(error instanceof Error ? error.message : String(error));
  }
  if (values.help) return { help: true };

  const org = nonEmpty(values.org, '--org');
  const person = nonEmpty(values.person, '--person');
  let sub: string;
  if (org !== undefined && person !== undefined) sub = `Person/${person}>Organization/${org}`;
  else if (org !== undefined) sub = `Organization/${org}`;
  else if (person !== undefined) sub = `Person/${person}`;
  else throw new TokenCliUsageError('Pass --org <id>, --person <id>, or both (on-behalf)');

  const personal = values.personal === true;
  if (personal && org !== undefined && person !== undefined) {
    throw new TokenCliUsageError('--personal is for --org or --person, not an on-behalf token');
  }
  if (personal && values.aud !== undefined) {
    throw new TokenCliUsageError('--personal sets aud to the bearer; leave out --aud');
  }
  const request: TokenRequest = {
    sub,
    aud: personal ? [sub] : values.aud === undefined ? [defaults.audience] : list(values.aud),
    scope: values.scope === undefined ? appScopes(defaults.appName) : list(values.scope),
    ttlSeconds: personal ? PRIVATE_ACCESS_TOKEN_TTL_SECONDS : 3600,
    includeKid: !values['no-kid'],
  };
  if (values.roles !== undefined) {
    if (org === undefined || person === undefined) {
      throw new TokenCliUsageError('--roles needs an on-behalf token (--org and --person)');
    }
    try {
      request.roles = roleBitsFor(defaults.roles, list(values.roles));
    } catch (error) {
      throw new TokenCliUsageError(error instanceof Error ? error.message : String(error));
    }
  }
  if (values.ttl !== undefined) {
    if (!/^-?\d+$/.test(values.ttl.trim())) {
      throw new TokenCliUsageError(`--ttl must be whole seconds, got "${values.ttl}"`);
    }
    request.ttlSeconds = Number(values.ttl.trim());
  }
  const jti = nonEmpty(values.jti, '--jti');
  if (jti !== undefined) request.jti = jti;
  return { help: false, request };
}

/** `add …`: one entry into the development directory, printed as JSON on stdout. */
async function addToDirectory(argv: readonly string[], config: AppConfig): Promise<number> {
  if (argv.includes('--help') || argv.includes('-h')) {
    process.stderr.write(DIRECTORY_USAGE);
    return 0;
  }
  let addition;
  try {
    addition = parseDirectoryArgs(argv, {
      audience: developmentAudience(config),
      scopes: appScopes(config.appName),
      roles: DEFAULT_ROLES,
    });
  } catch (error) {
    if (!(error instanceof DirectoryUsageError)) throw error;
    process.stderr.write(`${error.message}\n\n${DIRECTORY_USAGE}`);
    return 2;
  }
  const file = defaultDirectoryPath(config.dataDir);
  let added;
  try {
    await mkdir(config.dataDir, { recursive: true });
    added = await new FileDirectoryStore(file).update((data) => {
      applyAddition(data, addition);
      return printable(data, addition);
    });
  } catch (error) {
    if (!(error instanceof DirectoryRefusal)) throw error;
    process.stderr.write(`token: not added: ${error.message} (${file})\n`);
    return 1;
  }
  process.stdout.write(`${JSON.stringify(added, null, 2)}\n`);
  const secretNote = addition.kind === 'client' && addition.value.secret !== null;
  process.stderr.write(
    `Added the ${addition.kind} to ${file}.${secretNote ? ' Note the secret: it is shown only now.' : ''}\n`,
  );
  return 0;
}

/** Runs the CLI; returns the exit code. */
export async function main(
  argv: readonly string[],
  env: Record<string, string | undefined>,
): Promise<number> {
  let config;
  try {
    config = parseConfig(env);
  } catch (error) {
    // The server would not start with this environment either; say which variable.
    if (!(error instanceof ConfigError)) throw error;
    process.stderr.write(`token: ${error.message}\n`);
    return 2;
  }
  if (argv[0] === 'add') return addToDirectory(argv.slice(1), config);
  const defaults = tokenDefaults(config);
  let parsed: ParsedTokenArgs;
  try {
    parsed = parseTokenArgs(argv, defaults);
  } catch (error) {
    process.stderr.write(`${(error as Error).message}\n\n${usage(defaults)}`);
    return 2;
  }
  if (parsed.help) {
    process.stderr.write(usage(defaults));
    return 0;
  }
  const { request } = parsed;
  const keyring = await StandInHub.loadKeyring(defaultDevStatePath(config.dataDir));
  const now = Math.floor(Date.now() / 1000);
  const claims: Partial<Claims> = {
    sub: request.sub,
    aud: request.aud,
    scope: request.scope,
    nbf: now - 5,
    exp: now + request.ttlSeconds,
  };
  // Set only when given: an explicit undefined would drop the claim instead of defaulting it.
  if (request.roles !== undefined) claims.roles = request.roles;
  if (request.jti !== undefined) claims.jti = request.jti;
  const token = keyring.mint(claims, { includeKid: request.includeKid });
  process.stdout.write(`${token}\n`);
  return 0;
}

if (require.main === module) {
  main(process.argv.slice(2), process.env).then(
    (code) => {
      process.exitCode = code;
    },
    (error: unknown) => {
      // Messages from the hub modules never contain key material.
      process.stderr.write(`token: ${error instanceof Error ? error.message : String(error)}\n`);
      process.exitCode = 2;
    },
  );
}
