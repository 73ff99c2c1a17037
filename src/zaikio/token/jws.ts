import { verify } from 'node:crypto';
import { invalidToken } from '../errors/zaikio-auth.error';
import { VerificationKey } from '../keys/key-set';

/** A compact JWS split and decoded, before any signature check. Nothing here is trusted yet. */
export interface DecodedJws {
  readonly kid: string | null;
  readonly payload: Record<string, unknown>;
  readonly signingInput: Buffer;
  readonly signature: Buffer;
}

/** An RS256 signature made with a key of 2048 to 8192 bits. */
const MIN_SIGNATURE_BYTES = 256;
const MAX_SIGNATURE_BYTES = 1024;
/** Longer tokens are refused before any decoding work. */
export const MAX_TOKEN_LENGTH = 8192;

/**
 * Splits and decodes a compact JWS, refusing anything but a three-part RS256 token with JSON
 * object header and payload. Header fields that name keys (`jwk`, `jku`, `x5u`, `x5c`) are never
 * read: keys come only from the hub's published set.
 */
export function decodeJws(token: string): DecodedJws {
  if (token.length > MAX_TOKEN_LENGTH) throw invalidToken('The access token is too long.');
  const parts = threeSegments(token);
  if (!parts) throw invalidToken('The access token is not a signed JWT of three base64url parts.');
  const header = decodeJsonObject(parts[0], 'header');
  if (header.alg !== 'RS256') {
    throw invalidToken('The access token must be signed with RS256.');
  }
  if (header.crit !== undefined) {
    throw invalidToken('The access token carries critical header extensions we do not support.');
  }
  if (header.kid !== undefined && (typeof header.kid !== 'string' || header.kid.length > 256)) {
    throw invalidToken('The access token header has an invalid kid.');
  }
  const signature = decodeSegment(parts[2], 'signature');
  if (signature.length < MIN_SIGNATURE_BYTES || signature.length > MAX_SIGNATURE_BYTES) {
    throw invalidToken('The access token signature has an impossible length.');
  }
  return {
    kid: typeof header.kid === 'string' ? header.kid : null,
    payload: decodeJsonObject(parts[1], 'payload'),
    signingInput: Buffer.from(`${parts[0]}.${parts[1]}`, 'ascii'),
    signature,
  };
}

/**
 * The three non-empty dot-separated segments, or null. Their characters are decodeSegment's to
 * check: a segment spelt in anything but canonical base64url never survives its round trip, so a
 * regular expression over the ~700 characters first (8 k instructions per new token) checked
 * nothing more.
 */
function threeSegments(token: string): [string, string, string] | null {
  const first = token.indexOf('.');
  const second = token.indexOf('.', first + 1);
  if (first <= 0 || second === -1 || second === first + 1 || second === token.length - 1) {
    return null;
  }
  if (token.indexOf('.', second + 1) !== -1) return null;
  return [token.slice(0, first), token.slice(first + 1, second), token.slice(second + 1)];
}

/**
 * base64url in its one canonical spelling. Node's decoder ignores the unused low bits of the last
 * character, so without this check one signature had several spellings: a different token string
 * (and cache key) that still verified.
 */
function decodeSegment(segment: string, what: string): Buffer {
  const bytes = Buffer.from(segment, 'base64url');
  if (bytes.toString('base64url') !== segment) {
    throw invalidToken(`The access token ${what} is not canonical base64url.`);
  }
  return bytes;
}

function decodeJsonObject(segment: string, what: string): Record<string, unknown> {
  const json = decodeSegment(segment, what).toString('utf8');
  let value: unknown;
  try {
    value = JSON.parse(json);
  } catch {
    throw invalidToken(`The access token ${what} is not valid JSON.`);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw invalidToken(`The access token ${what} is not a JSON object.`);
  }
  // JSON.parse keeps the last of two equal member names; another parser might keep the first.
  // A token that means different things to different readers is refused. Repeated names collapse
  // into one property, so there are some exactly when the text has more members than the object.
  if (topLevelMemberCount(json) !== Object.keys(value).length) {
    throw invalidToken(`The access token ${what} repeats a member name.`);
  }
  return value as Record<string, unknown>;
}

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const COMMA = 0x2c;
const OPEN_OBJECT = 0x7b;
const OPEN_ARRAY = 0x5b;
const CLOSE_OBJECT = 0x7d;
const CLOSE_ARRAY = 0x5d;

/**
 * How many members the outermost object of valid JSON text has: its commas outside strings and
 * nested values, plus one unless it is empty. Character codes only: this runs for every new token.
 */
function topLevelMemberCount(json: string): number {
  let commas = 0;
  let depth = 0;
  let empty = true;
  for (let i = 0; i < json.length; i++) {
    const code = json.charCodeAt(i);
    if (code === QUOTE) {
      i++;
      while (json.charCodeAt(i) !== QUOTE) i += json.charCodeAt(i) === BACKSLASH ? 2 : 1;
      empty = false;
    } else if (code === OPEN_OBJECT || code === OPEN_ARRAY) {
      depth++;
    } else if (code === CLOSE_OBJECT || code === CLOSE_ARRAY) {
      depth--;
    } else if (code === COMMA && depth === 1) {
      commas++;
    }
  }
  return empty ? 0 : commas + 1;
}

/** RSASSA-PKCS1-v1_5 with SHA-256 against an already imported key. */
export function signatureMatches(jws: DecodedJws, key: VerificationKey): boolean {
  return verify('sha256', jws.signingInput, key.key, jws.signature);
}
