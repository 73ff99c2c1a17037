// Covers the switch that holds servers in child processes to their served document
// (test/support/server-process.ts): a child-style server that serves a small document and answers
// wrongly on request must fail the check, whoever asked and even as it exits.
import { connect } from 'node:net';
import { expectRecordedAnswersHoldContract } from './support/contract';
import { SpawnedServer, spawnServer } from './support/server-process';

const DOCUMENT = {
  openapi: '3.0.0',
  info: { title: 'child', version: '1' },
  paths: {
    '/thing': {
      get: {
        responses: {
          '200': {
            description: 'A thing',
            headers: { 'Current-Page': { required: true, schema: { type: 'integer' } } },
            content: {
              'application/json': {
                schema: {
                  type: 'object',
                  required: ['name'],
                  properties: { name: { type: 'string', maxLength: 10 } },
                },
              },
            },
          },
        },
      },
    },
  },
};

// Runs in the child: node:http only. `?answer=` picks the answer; `exit` answers, then exits.
const CHILD = `
const { createServer } = require('node:http');
const document = process.env.CHILD_DOCUMENT;
const answers = {
  right: [200, { 'current-page': '1' }, { name: 'bolt' }],
  'wrong-body': [200, { 'current-page': '1' }, { name: 7 }],
  'wrong-status': [500, {}, { errors: ['boom'] }],
  'no-header': [200, {}, { name: 'bolt' }],
  exit: [200, { 'current-page': '1' }, { name: 'far too long a name' }],
};
const server = createServer((req, res) => {
  const url = new URL(req.url, 'http://child');
  if (url.pathname === '/docs/api.json') {
    res.writeHead(200, { 'content-type': 'application/json' }).end(document);
    return;
  }
  const key = url.searchParams.get('answer');
  const [status, headers, body] = answers[key];
  res.writeHead(status, { ...headers, 'content-type': 'application/json' });
  res.end(JSON.stringify(body), () => { if (key === 'exit') process.exit(0); });
});
server.listen(0, '127.0.0.1', () => process.stderr.write('READY ' + server.address().port + '\\n'));
`;

describe('API contract of servers in child processes (e2e support)', () => {
  let child: SpawnedServer;

  beforeAll(async () => {
    child = await spawnServer({
      args: ['-e', CHILD],
      env: { CHILD_DOCUMENT: JSON.stringify(DOCUMENT) },
      listening: /READY (\d+)/,
    });
  });

  afterAll(() => {
    if (child.process.exitCode === null) child.process.kill('SIGKILL');
  });

  const ask = (answer: string) => fetch(`${child.url}/thing?answer=${answer}`);

  it('lets a documented answer pass, its body still readable by the test', async () => {
    const response = await ask('right');
    expect(await response.json()).toEqual({ name: 'bolt' });
    expect(expectRecordedAnswersHoldContract).not.toThrow();
  });

  it('fails a body that breaks its schema', async () => {
    await (await ask('wrong-body')).text();
    expect(expectRecordedAnswersHoldContract).toThrow(
      /GET \/thing 200: body \/name must be string/,
    );
  });

  it('fails an undocumented status', async () => {
    await (await ask('wrong-status')).text();
    expect(expectRecordedAnswersHoldContract).toThrow(/status 500 is not documented/);
  });

  it('fails a missing required header', async () => {
    await (await ask('no-header')).text();
    expect(expectRecordedAnswersHoldContract).toThrow(/required header Current-Page is missing/);
  });

  it('checks answers to clients other than fetch (a raw socket)', async () => {
    const socket = connect(child.port, '127.0.0.1');
    socket.end('GET /thing?answer=wrong-body HTTP/1.1\r\nHost: child\r\nConnection: close\r\n\r\n');
    let received = '';
    socket.on('data', (chunk: Buffer) => void (received += chunk.toString()));
    await new Promise((resolve) => socket.once('close', resolve));
    expect(received).toMatch(/^HTTP\/1.1 200/);
    expect(expectRecordedAnswersHoldContract).toThrow(/body \/name must be string/);
  });

  it('checks the last answer of a server that then exits', async () => {
    await (await ask('exit')).text();
    await child.exited;
    expect(expectRecordedAnswersHoldContract).toThrow(/body \/name must NOT have more than 10/);
  });
});
