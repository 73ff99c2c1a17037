// Threat: one person reading or overwriting another's settings; covers the settings API end to end.
import { useHubAndApp } from './support/app';
import { tokens } from './support/tokens';

describe('person settings (e2e)', () => {
  const ctx = useHubAndApp();

  const person = (id: string) => tokens(ctx.hub).person(id).scopes('warehouse.settings.rw').mint();

  it('returns defaults when never set', async () => {
    const response = await ctx.server.get('/api/v1/person/settings', person('p-new'));
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ unit_system: 'metric', locale: 'en' });
  });

  it('stores settings per person, shared between Person and on-behalf tokens', async () => {
    const put = await ctx.server.send(
      'PUT',
      '/api/v1/person/settings',
      { unit_system: 'imperial', locale: 'de-de' },
      person('p-1'),
    );
    expect(put.status).toBe(200);
    expect(await put.json()).toEqual({ unit_system: 'imperial', locale: 'de-DE' });

    const onBehalf = tokens(ctx.hub).onBehalf('p-1', 'org-9').scopes('warehouse.settings.r').mint();
    expect(await (await ctx.server.get('/api/v1/person/settings', onBehalf)).json()).toEqual({
      unit_system: 'imperial',
      locale: 'de-DE',
    });
    expect(await (await ctx.server.get('/api/v1/person/settings', person('p-2'))).json()).toEqual({
      unit_system: 'metric',
      locale: 'en',
    });
  });

  it.each([
    [{ unit_system: 'nautical', locale: 'en' }, 'unit_system'],
    [{ unit_system: 'metric', locale: 'not a locale!' }, 'locale'],
    [{ unit_system: 'metric' }, 'locale'],
    [{ unit_system: 'metric', locale: 'en', theme: 'dark' }, 'theme'],
  ])('answers 422 to %j on %s', async (body, field) => {
    const response = await ctx.server.send('PUT', '/api/v1/person/settings', body, person('p-3'));
    expect(response.status).toBe(422);
    const errors = ((await response.json()) as { errors: Record<string, string[]> }).errors;
    expect(Object.keys(errors)).toEqual([field]);
  });

  it('needs write access to PUT', async () => {
    const readOnly = tokens(ctx.hub).person('p-4').scopes('warehouse.settings.r').mint();
    const body = { unit_system: 'metric', locale: 'en' };
    expect((await ctx.server.send('PUT', '/api/v1/person/settings', body, readOnly)).status).toBe(
      403,
    );
  });
});
