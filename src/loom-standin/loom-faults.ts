import { FaultError } from '../hub/faults';
import { isRecord } from '../hub/http-util';

/** How the stand-in Loom misbehaves on `POST /api/v1/events`, set with StandInLoom.setFault. */
export type LoomFault =
  /** Answers with this status (500, 503, 401, 429...) and records nothing. */
  | { readonly type: 'status'; readonly status: number; readonly body?: string }
  /** Never answers: the sender's timeout decides. Records nothing. */
  | { readonly type: 'hang' }
  /** Resets the connection before answering. Records nothing. */
  | { readonly type: 'reset' }
  /** Accepts and records the event, then resets the connection: the answer is lost. */
  | { readonly type: 'lose-answer' };

/** Validates a fault from untrusted JSON (the admin API) or a typed call. */
export function parseLoomFault(value: unknown): LoomFault {
  if (!isRecord(value) || typeof value.type !== 'string') {
    throw new FaultError('expected an object with a "type"');
  }
  switch (value.type) {
    case 'status': {
      const { status, body } = value;
      if (typeof status !== 'number' || !Number.isInteger(status) || status < 400 || status > 599) {
        throw new FaultError('status must be an integer between 400 and 599');
      }
      if (body !== undefined && typeof body !== 'string')
        throw new FaultError('body must be a string');
      return body === undefined ? { type: 'status', status } : { type: 'status', status, body };
    }
    case 'hang':
    case 'reset':
    case 'lose-answer':
      return { type: value.type };
    default:
      throw new FaultError(`unknown type "${value.type}"`);
  }
}

/** A number of requests a fault applies to: a whole number of at least 1, or forever. */
export function parseTimes(value: unknown): number {
  if (value === undefined || value === null) return Number.POSITIVE_INFINITY;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1) {
    throw new FaultError('times must be a whole number of at least 1');
  }
  return value;
}
