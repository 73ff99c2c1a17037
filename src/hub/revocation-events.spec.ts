// The stand-in hub announcing revocations at a (stand-in) Loom: which event, for whom, retries.
import { StandInLoom } from '../loom-standin';
import { eventually } from '../testing/eventually';
import { HUB_LOOM_APP, loomSubjectOf } from './revocation-events';
import { StandInHub } from './stand-in-hub';

describe('loomSubjectOf', () => {
  it.each([
    ['Organization/acme', 'Org/acme'],
    ['Person/pat', 'Per/pat'],
    ['Person/pat>Organization/acme', 'Org/acme'],
    ['Robot/r2', null],
    [42, null],
  ])('%j → %j', (sub, subject) => {
    expect(loomSubjectOf(sub)).toBe(subject);
  });
});

describe('StandInHub with a Loom', () => {
  let loom: StandInLoom;
  let hub: StandInHub;

  beforeAll(async () => {
    loom = await StandInLoom.start({ apps: { [HUB_LOOM_APP]: 'hub-password' } });
    hub = await StandInHub.start({ loom: { url: loom.url, password: 'hub-password' } });
  });

  afterAll(async () => {
    await hub.stop();
    await loom.stop();
  });

  const eventsFor = (jti: string) =>
    loom.events.filter((received) => received.event.payload?.access_token_id === jti);

  const revoke = (body: unknown) =>
    fetch(`${hub.url}/_standin/revoke`, { method: 'POST', body: JSON.stringify(body) });

  it("posts Zaikio's revocation event, once, for a token it signed", async () => {
    const token = hub.mint({ sub: 'Person/pat>Organization/acme', jti: 'signed-1' });
    expect(token.split('.')).toHaveLength(3);
    expect(await (await revoke({ jti: 'signed-1' })).json()).toEqual({
      revoked: 'signed-1',
      announced: true,
    });
    await eventually(() => eventsFor('signed-1').length === 1, 3_000, 'the event at Loom');
    expect(eventsFor('signed-1')[0]).toMatchObject({
      app: 'zaikio',
      event: {
        name: 'zaikio.revoked_access_token',
        subject: 'Org/acme',
        version: '1.0',
        payload: { access_token_id: 'signed-1' },
        link: `${hub.url}/api/v1/revoked_access_tokens`,
      },
    });
    expect(await (await revoke({ jti: 'signed-1' })).json()).toMatchObject({ announced: false });
  });

  it('needs the subject for a token it did not sign, and checks its shape', async () => {
    expect(await (await revoke({ jti: 'foreign-1' })).json()).toMatchObject({ announced: false });
    expect(hub.revokedTokenIds).toContain('foreign-1');
    expect((await revoke({ jti: 'foreign-2', subject: 'Organization/acme' })).status).toBe(400);
    expect(await (await revoke({ jti: 'foreign-2', subject: 'Per/pat' })).json()).toMatchObject({
      announced: true,
    });
    await eventually(() => eventsFor('foreign-2').length === 1, 3_000, 'the event at Loom');
    expect(eventsFor('foreign-2')[0].event.subject).toBe('Per/pat');
  });

  it('sends again, with the same event id, when Loom fails', async () => {
    loom.setFault({ type: 'status', status: 503 }, 2);
    await hub.revoke('retried-1', 'Org/acme');
    const announcement = () => hub.revocationAnnouncements.find((a) => a.jti === 'retried-1');
    await eventually(() => announcement()?.status === 200, 5_000, 'Loom accepting the event');
    expect(eventsFor('retried-1')).toHaveLength(1);
    expect(announcement()?.attempts).toBe(3);
    expect(loom.answers.filter((a) => a.eventId === announcement()?.eventId)).toHaveLength(3);
  });
});
