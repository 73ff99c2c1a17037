// Loaded into a spawned server's process (`node -r`, by test/support/server-process.ts): every
// answer an HTTP server there sends is appended to the file named by E2E_CHILD_ANSWERS_FILE, one
// JSON line each, synchronously and before the answer's last bytes leave; so once a test has an
// answer, the test process can read it there and hold it to the served document.
import { subscribe } from 'node:diagnostics_channel';
import { appendFileSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { CHILD_ANSWERS_FILE, ChildAnswer, recordAnswer } from './answer-recorder';

interface RequestStart {
  readonly request: IncomingMessage;
  readonly response: ServerResponse;
}

const file = process.env[CHILD_ANSWERS_FILE];
if (file) {
  // Published by node:http for each request, before any 'request' listener runs.
  subscribe('http.server.request.start', (message) => {
    const { request, response } = message as RequestStart;
    const port = request.socket.localPort ?? 0;
    recordAnswer(request, response, (exchange) => {
      const answer: ChildAnswer = { port, exchange };
      try {
        appendFileSync(file, `${JSON.stringify(answer)}\n`);
      } catch (error) {
        // Never take the server down for a test's sake; this line says why an answer went unchecked.
        process.stderr.write(
          `could not record an answer for the API contract check: ${String(error)}\n`,
        );
      }
    });
  });
}
