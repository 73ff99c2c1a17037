import {
  Controller,
  Headers,
  HttpCode,
  Inject,
  Logger,
  Post,
  Req,
  UnauthorizedException,
  UnprocessableEntityException,
} from '@nestjs/common';
import type { Request } from 'express';
import { Public } from '../rules/decorators';
import { REVOCATION_STORE, RevocationStore } from '../revocation/revocation-store';
import { ZAIKIO_AUTH_OPTIONS, ZaikioAuthOptions } from '../zaikio-auth.options';
import { MalformedLoomEventError, parseLoomEvent } from './loom-event';
import { loomSignatureValid } from './loom-signature';

/** Where Loom delivers events to this app (configured in the app's Zaikio settings). */
export const LOOM_WEBHOOK_PATH = 'webhooks/zaikio';

/**
 * Receives Loom events. Authenticated by signature, not by a bearer token. Answers fast and
 * idempotently: Loom retries anything but 2xx and may deliver an event twice.
 */
@Public()
@Controller(LOOM_WEBHOOK_PATH)
export class LoomWebhookController {
  private readonly logger = new Logger(LoomWebhookController.name);

  constructor(
    @Inject(ZAIKIO_AUTH_OPTIONS) private readonly options: ZaikioAuthOptions,
    @Inject(REVOCATION_STORE) private readonly revocations: RevocationStore,
  ) {}

  @Post()
  @HttpCode(200)
  async receive(
    @Req() request: Request & { rawBody?: Buffer },
    @Headers('x-loom-signature') signature: string | undefined,
  ): Promise<{ received: true; processed: boolean }> {
    const body = rawBodyOf(request);
    const secret = this.options.webhookSecret;
    if (secret === null || !loomSignatureValid(secret, body, signature)) {
      throw new UnauthorizedException({ errors: ['invalid_signature', signatureHint(secret)] });
    }
    let event;
    try {
      event = parseLoomEvent(body);
    } catch (error) {
      if (!(error instanceof MalformedLoomEventError)) throw error;
      throw new UnprocessableEntityException({ errors: ['invalid_event', error.message] });
    }
    if (event.kind === 'ignored') return { received: true, processed: false };
    await this.revocations.revoke([event.accessTokenId]);
    this.logger.log(`revoked access token id ${event.accessTokenId} (Loom event)`);
    return { received: true, processed: true };
  }
}

function rawBodyOf(request: Request & { rawBody?: Buffer }): Buffer {
  if (request.rawBody) return request.rawBody;
  if (Buffer.isBuffer(request.body)) return request.body;
  return Buffer.alloc(0);
}

function signatureHint(secret: string | null): string {
  return secret === null
    ? 'This server has no Loom webhook secret configured and accepts no events.'
    : 'X-Loom-Signature is missing or does not match the body.';
}
