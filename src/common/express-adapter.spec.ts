// The HTTP server hands Express requests and responses that already have Express's prototypes,
// so Express's per-request Object.setPrototypeOf changes nothing (see the adapter's comment).
import { Controller, Get, INestApplication, Req, Res } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import type { Express, Request, Response } from 'express';
import { IncomingMessage, Server, ServerResponse } from 'node:http';
import { AddressInfo } from 'node:net';
import { PrototypedExpressAdapter } from './express-adapter';

@Controller('probe')
class ProbeController {
  @Get()
  probe(@Req() request: Request, @Res() response: Response): void {
    // Express's own request and response methods work as usual.
    response.status(200).json({ host: request.get('host'), ip: request.ip });
  }
}

describe('PrototypedExpressAdapter', () => {
  let app: INestApplication;
  let url: string;
  const seen: { request?: object; response?: object } = {};

  beforeAll(async () => {
    const moduleRef = await Test.createTestingModule({ controllers: [ProbeController] }).compile();
    app = moduleRef.createNestApplication(new PrototypedExpressAdapter(), { logger: false });
    await app.listen(0, '127.0.0.1');
    const server = app.getHttpServer() as Server;
    // Runs before Express touches the objects: what the HTTP server itself constructed.
    server.prependListener('request', (request: IncomingMessage, response: ServerResponse) => {
      seen.request = Object.getPrototypeOf(request) as object;
      seen.response = Object.getPrototypeOf(response) as object;
    });
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  afterAll(() => app.close());

  it("constructs requests and responses with Express's prototypes already set", async () => {
    const response = await fetch(`${url}/probe`);
    expect(response.status).toBe(200);
    const express = app.getHttpAdapter().getInstance() as Express;
    expect(seen.request).toBe(express.request);
    expect(seen.response).toBe(express.response);
    expect(express.request).toBeInstanceOf(IncomingMessage);
    expect(express.response).toBeInstanceOf(ServerResponse);
  });

  it('serves through Express as before: request helpers, status and JSON', async () => {
    const response = await fetch(`${url}/probe`);
    const port = new URL(url).port;
    expect(await response.json()).toEqual({ host: `127.0.0.1:${port}`, ip: '127.0.0.1' });
    expect(response.headers.get('content-type')).toContain('application/json');
  });
});
