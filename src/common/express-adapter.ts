import type { NestApplicationOptions } from '@nestjs/common';
import { ExpressAdapter } from '@nestjs/platform-express';
import type { Express } from 'express';
import * as http from 'node:http';

type RequestClass = typeof http.IncomingMessage;
type ResponseClass = typeof http.ServerResponse;

/**
 * Nest's Express adapter with one change: the HTTP server builds each request and response with
 * Express's own prototypes (`app.request`, `app.response`) already in place.
 *
 * Why: Express 5 re-prototypes every req and res (`Object.setPrototypeOf` in `app.handle`). V8
 * gives each re-prototyped object a fresh hidden class, allocated in old space, so a busy server
 * churns its old generation: a major GC every fraction of a second, the heap growing to several
 * times its live size, and about a third of Express's throughput lost (BENCHMARKS.md). With the
 * prototype already set, Express's call changes nothing and costs nothing. Express sees exactly the
 * objects it would have made itself; its prototypes still inherit from Node's classes.
 */
export class PrototypedExpressAdapter extends ExpressAdapter {
  override initHttpServer(options: NestApplicationOptions): void {
    // HTTPS and connection tracking stay with Nest's own set-up; this app uses neither.
    if (options.httpsOptions || options.forceCloseConnections) {
      super.initHttpServer(options);
      return;
    }
    const app = this.getInstance<Express>();
    this.setHttpServer(
      http.createServer(
        {
          IncomingMessage: withPrototype(http.IncomingMessage, app.request),
          ServerResponse: withPrototype(http.ServerResponse, app.response),
        },
        app,
      ),
    );
  }
}

/**
 * A constructor Node's HTTP server can call with `new` that builds `base` objects whose prototype
 * is `prototype` (which must inherit from base.prototype). Node's IncomingMessage and
 * ServerResponse are plain constructor functions, so calling them on `this` initialises it.
 */
function withPrototype<T extends RequestClass | ResponseClass>(base: T, prototype: object): T {
  if (!Object.prototype.isPrototypeOf.call(base.prototype, prototype)) {
    throw new Error(`Express's ${base.name} prototype does not inherit from Node's`);
  }
  function Constructed(this: object, ...args: unknown[]): void {
    (base as unknown as (...params: unknown[]) => void).apply(this, args);
  }
  Constructed.prototype = prototype;
  return Constructed as unknown as T;
}
