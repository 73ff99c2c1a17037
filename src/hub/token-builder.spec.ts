// The test data builder in test/support/tokens.ts and the startHub fixture, against a real hub.
import { startHub } from '../../test/support/hub-fixture';
import { tokens } from '../../test/support/tokens';
import { StandInHub } from './stand-in-hub';

function decode(token: string): {
  header: Record<string, unknown>;
  payload: Record<string, unknown>;
} {
  const [h, p] = token.split('.');
  return {
    header: JSON.parse(Buffer.from(h, 'base64url').toString('utf8')),
    payload: JSON.parse(Buffer.from(p, 'base64url').toString('utf8')),
  };
}

describe('tokens(hub)', () => {
  let hub: StandInHub;

  beforeAll(async () => {
    hub = await startHub({ keyCount: 2 });
  });

  afterAll(async () => {
    await hub.stop();
  });

  it('defaults to an organization token for warehouse without scopes', () => {
    const { header, payload } = decode(tokens(hub).mint());
    expect(header).toEqual({ kid: hub.signingKid, alg: 'RS256' });
    expect(payload).toMatchObject({
      iss: 'ZAI',
      sub: 'Organization/org-1',
      aud: ['warehouse'],
      scope: [],
    });
    expect(payload).not.toHaveProperty('roles');
  });

  it('builds subjects, scopes and audiences', () => {
    const base = tokens(hub).scopes('warehouse.items.rw', 'directory.organization.r');
    expect(decode(base.organization('o').mint()).payload).toMatchObject({
      sub: 'Organization/o',
      scope: ['warehouse.items.rw', 'directory.organization.r'],
    });
    expect(decode(base.person('p').audience('warehouse/prod').mint()).payload).toMatchObject({
      sub: 'Person/p',
      aud: ['warehouse/prod'],
    });
    expect(decode(base.audiences([]).mint()).payload.aud).toEqual([]);
  });

  it('is immutable: a shared base is not changed by derived builders', () => {
    const base = tokens(hub).organization('shared');
    base.person('other').jti('j');
    expect(decode(base.mint()).payload.sub).toBe('Organization/shared');
  });

  it('encodes on-behalf roles with the hub role order', () => {
    const { payload } = decode(
      tokens(hub).onBehalf('p-1', 'org-1').roles('owner', 'member').mint(),
    );
    expect(payload).toMatchObject({ sub: 'Person/p-1>Organization/org-1', roles: 5 });
    expect(() => tokens(hub).roles('nobody').mint()).toThrow(/Unknown role/);
  });

  it('sets times and ids', () => {
    const now = Math.floor(Date.now() / 1000);
    const { payload } = decode(
      tokens(hub)
        .expiresIn(-30)
        .notBefore(now - 100)
        .jti('j-9')
        .mint(),
    );
    expect(Math.abs((payload.exp as number) - (now - 30))).toBeLessThanOrEqual(1);
    expect(payload).toMatchObject({ nbf: now - 100, jti: 'j-9' });
  });

  it('overrides claims raw, drops undefined ones, and lets an explicit exp win', () => {
    const { payload } = decode(
      tokens(hub)
        .expiresIn(60)
        .claim('exp', 'later')
        .claim('iss', undefined)
        .claim('scope', 'x')
        .mint(),
    );
    expect(payload).toMatchObject({ exp: 'later', scope: 'x' });
    expect(payload).not.toHaveProperty('iss');
  });

  it('controls kid, signing key and header', () => {
    const older = hub.kids[0];
    expect(decode(tokens(hub).withoutKid().mint()).header).not.toHaveProperty('kid');
    expect(decode(tokens(hub).signedWith(older).mint()).header.kid).toBe(older);
    const { header } = decode(tokens(hub).header({ typ: undefined }).header({ cty: 'x' }).mint());
    expect(header).toEqual({ alg: 'RS256', kid: hub.signingKid, cty: 'x' });
  });
});
