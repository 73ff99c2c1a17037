// The batching middleware: requests read in one turn go on together after it, in arrival order,
// and one request's failure does not strand the others.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { requestBatch } from './request-batch';

const request = {} as IncomingMessage;
const response = {} as ServerResponse;
const nextTurn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

describe('requestBatch', () => {
  it('hands on the requests of one turn together, after that turn, in arrival order', async () => {
    const middleware = requestBatch();
    const handedOn: string[] = [];
    for (const id of ['a', 'b', 'c']) middleware(request, response, () => handedOn.push(id));
    expect(handedOn).toEqual([]);
    await nextTurn();
    expect(handedOn).toEqual(['a', 'b', 'c']);
  });

  it('starts a new batch for requests read in a later turn', async () => {
    const middleware = requestBatch();
    const handedOn: string[] = [];
    middleware(request, response, () => handedOn.push('first'));
    await nextTurn();
    middleware(request, response, () => handedOn.push('second'));
    expect(handedOn).toEqual(['first']);
    await nextTurn();
    expect(handedOn).toEqual(['first', 'second']);
  });

  it('passes a request that throws on as an error and still hands on the rest', async () => {
    const middleware = requestBatch();
    const calls: unknown[][] = [];
    const failure = new Error('route blew up');
    middleware(request, response, (...args: unknown[]) => {
      calls.push(['a', ...args]);
      if (args.length === 0) throw failure;
    });
    middleware(request, response, (...args: unknown[]) => calls.push(['b', ...args]));
    await nextTurn();
    expect(calls).toEqual([['a'], ['a', failure], ['b']]);
  });
});
