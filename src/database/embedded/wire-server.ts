import { createServer, Server, Socket } from 'node:net';
import type { PGlite } from '../pglite-loader';

/** Requests a client may send before its startup message; the first int32 after the length. */
const SSL_REQUEST = 80877103;
const GSS_ENCRYPTION_REQUEST = 80877104;
const CANCEL_REQUEST = 80877102;
const TERMINATE = 'X'.charCodeAt(0);
/** PostgreSQL refuses startup packets above 10 000 bytes; so do we. */
const MAX_STARTUP_LENGTH = 10_000;

/**
 * Serves one PGlite database over PostgreSQL's wire protocol on a Unix socket, so the app talks to
 * the embedded database exactly as it talks to PostgreSQL (pg's pool, one dialect).
 *
 * PGlite is a single session. Clients are therefore served one at a time: a second connection is
 * accepted but not read until the first one closes (the app's pool holds one connection, so it
 * never waits; a developer's psql waits its turn). When a client leaves, an open transaction is
 * rolled back and the session reset, so the next client starts clean.
 */
export class PGliteWireServer {
  readonly #server: Server;
  readonly #waiting: Socket[] = [];
  #active: Socket | null = null;
  #finishing: Promise<void> = Promise.resolve();

  constructor(private readonly pglite: PGlite) {
    this.#server = createServer({ pauseOnConnect: true }, (socket) => this.#admit(socket));
  }

  listen(socketPath: string): Promise<void> {
    return new Promise((resolve, reject) => {
      this.#server.once('error', reject);
      this.#server.listen(socketPath, () => {
        this.#server.off('error', reject);
        resolve();
      });
    });
  }

  /** Stops accepting, drops waiting clients, ends the active one and waits for its last work. */
  async close(): Promise<void> {
    const closed = new Promise<void>((resolve) => this.#server.close(() => resolve()));
    for (const socket of this.#waiting.splice(0)) socket.destroy();
    const active = this.#active;
    if (active) {
      // 'close' comes a tick later; the listener #serve added first then sets #finishing.
      const gone = new Promise((resolve) => active.once('close', resolve));
      active.destroy();
      await gone;
    }
    await this.#finishing;
    await closed;
  }

  #admit(socket: Socket): void {
    socket.on('error', () => socket.destroy());
    if (this.#active) {
      this.#waiting.push(socket);
      socket.once('close', () => this.#forget(socket));
      return;
    }
    this.#serve(socket);
  }

  #forget(socket: Socket): void {
    const index = this.#waiting.indexOf(socket);
    if (index >= 0) this.#waiting.splice(index, 1);
  }

  #serve(socket: Socket): void {
    this.#active = socket;
    const session = new ClientSession(this.pglite, socket);
    socket.once('close', () => {
      this.#finishing = session
        .finish()
        .catch((error: unknown) => {
          process.stderr.write(
            `embedded database: resetting the session failed: ${String(error)}\n`,
          );
        })
        .then(() => {
          this.#active = null;
          const next = this.#waiting.shift();
          if (next) this.#serve(next);
        });
    });
    socket.resume();
  }
}

/** One client's conversation: frames its bytes into protocol messages and runs them in order. */
class ClientSession {
  #buffer: Buffer = Buffer.alloc(0);
  #started = false;
  /** Work runs strictly in order; each batch waits for the one before. */
  #queue: Promise<void> = Promise.resolve();

  constructor(
    private readonly pglite: PGlite,
    private readonly socket: Socket,
  ) {
    socket.setNoDelay(true);
    socket.on('data', (chunk: Buffer) => this.#receive(chunk));
  }

  /** Waits for what the client sent, then leaves the session clean for the next client. */
  async finish(): Promise<void> {
    await this.#queue;
    if (!this.#started || this.pglite.closed) return;
    if (this.pglite.isInTransaction()) await this.pglite.exec('ROLLBACK');
    await this.pglite.exec('DISCARD ALL');
  }

  #receive(chunk: Buffer): void {
    this.#buffer = this.#buffer.length ? Buffer.concat([this.#buffer, chunk]) : chunk;
    while (!this.#started && this.#startupMessage()) {
      // Answered or started; look at what follows.
    }
    if (!this.#started) return;
    const { batch, terminated, malformed } = this.#completeMessages();
    if (batch.length) this.#enqueue(batch);
    if (terminated) this.#queue = this.#queue.then(() => void this.socket.end());
    if (malformed) this.#queue = this.#queue.then(() => void this.socket.destroy());
  }

  /**
   * Handles one message of the startup phase (it has no type byte: int32 length, int32 code).
   * Encryption requests get "N" (a local socket needs none), a cancel request ends its connection
   * (queries run to completion), anything else is the startup message PGlite answers itself.
   */
  #startupMessage(): boolean {
    if (this.#buffer.length < 8) return false;
    const length = this.#buffer.readInt32BE(0);
    if (length < 8 || length > MAX_STARTUP_LENGTH) {
      // Not PostgreSQL's protocol: drop the client rather than guess where messages end.
      this.#buffer = Buffer.alloc(0);
      this.socket.destroy();
      return false;
    }
    if (this.#buffer.length < length) return false;
    const message = this.#buffer.subarray(0, length);
    this.#buffer = this.#buffer.subarray(length);
    const code = message.readInt32BE(4);
    if (code === SSL_REQUEST || code === GSS_ENCRYPTION_REQUEST) this.socket.write('N');
    else if (code === CANCEL_REQUEST) this.socket.end();
    else {
      this.#started = true;
      this.#enqueue(message);
    }
    return true;
  }

  /**
   * Cuts every complete message off the buffer: PGlite runs a run of messages in one call.
   * A Terminate message is never passed on (it would end PGlite's single backend): the
   * connection ends after the messages before it.
   */
  #completeMessages(): { batch: Buffer; terminated: boolean; malformed: boolean } {
    let end = 0;
    let terminated = false;
    let malformed = false;
    while (this.#buffer.length >= end + 5) {
      if (this.#buffer[end] === TERMINATE) {
        terminated = true;
        break;
      }
      // The length counts itself (4 bytes) but not the type byte.
      const declared = this.#buffer.readInt32BE(end + 1);
      if (declared < 4) {
        malformed = true;
        break;
      }
      if (this.#buffer.length < end + 1 + declared) break;
      end += 1 + declared;
    }
    const batch = this.#buffer.subarray(0, end);
    this.#buffer = terminated || malformed ? Buffer.alloc(0) : this.#buffer.subarray(end);
    return { batch, terminated, malformed };
  }

  #enqueue(messages: Buffer): void {
    // PGlite reports SQL errors to the client in the protocol; a throw here means the session
    // itself broke, so the connection ends rather than answering out of step.
    this.#queue = this.#queue
      .then(() => this.#run(messages))
      .catch(() => void this.socket.destroy());
  }

  async #run(messages: Buffer): Promise<void> {
    if (this.socket.destroyed || this.pglite.closed) return;
    await this.pglite.execProtocolRawStream(messages, {
      // The chunk is a view into WASM memory, reused by the next message: copy it out.
      onRawData: (data) => this.socket.write(Buffer.from(data)),
    });
  }
}
