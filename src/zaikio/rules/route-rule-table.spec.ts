// Route rules are compiled when the module boots: read and write variants, @Public(), class-level
// rules, and a bad rule stopping the boot with a message that names the handler.
import { Controller, Delete, Get, Post } from '@nestjs/common';
import { DiscoveryModule } from '@nestjs/core';
import { Test } from '@nestjs/testing';
import { ZAIKIO_AUTH_OPTIONS, ZaikioAuthOptions } from '../zaikio-auth.options';
import { AccessRuleOptions } from './access-rule';
import { Public, ZaikioAccess } from './decorators';
import { InvalidAccessRuleError, RouteRuleTable } from './route-rule-table';

const OPTIONS: ZaikioAuthOptions = {
  hubUrl: 'http://127.0.0.1:9',
  appName: 'warehouse',
  audiences: ['warehouse'],
  personalTokens: 'deny',
  clockToleranceSeconds: 0,
  webhookSecret: null,
};

@Controller('things')
@ZaikioAccess({ scope: 'things', bearer: 'Organization' })
class ThingsController {
  @Get()
  list() {}

  @Delete(':id')
  @ZaikioAccess({ scope: 'things', roles: ['owner', 'admin'] })
  remove() {}

  @Post('search')
  @ZaikioAccess({ scope: 'things', access: 'r' })
  search() {}

  @Get('status')
  @Public()
  status() {}
}

async function bootWith(...controllers: Array<new () => unknown>): Promise<RouteRuleTable> {
  const moduleRef = await Test.createTestingModule({
    imports: [DiscoveryModule],
    controllers,
    providers: [RouteRuleTable, { provide: ZAIKIO_AUTH_OPTIONS, useValue: OPTIONS }],
  }).compile();
  await moduleRef.init();
  return moduleRef.get(RouteRuleTable);
}

/** A controller with one GET route carrying `rule`, named so errors can be checked. */
function controllerWithRule(rule: AccessRuleOptions): new () => unknown {
  @Controller('bad')
  class BadRuleController {
    @Get()
    @ZaikioAccess(rule)
    list() {}
  }
  return BadRuleController;
}

describe('RouteRuleTable', () => {
  let table: RouteRuleTable;

  beforeAll(async () => {
    table = await bootWith(ThingsController);
  });

  it('compiles every handler while the module boots, before any request', () => {
    expect(table.size).toBe(4);
  });

  it('picks the read or the write rule from the request method', () => {
    const { prototype } = ThingsController;
    expect(table.ruleFor(prototype.list, ThingsController, 'GET')).toEqual({
      scopes: ['warehouse.things.r', 'warehouse.things.rw'],
      bearer: 'Organization',
      roles: [],
    });
    // Express routes HEAD to GET handlers: it reads.
    expect(table.ruleFor(prototype.list, ThingsController, 'HEAD')?.scopes[0]).toBe(
      'warehouse.things.r',
    );
    expect(table.ruleFor(prototype.remove, ThingsController, 'DELETE')).toEqual({
      scopes: ['warehouse.things.w', 'warehouse.things.rw'],
      bearer: null,
      roles: ['owner', 'admin'],
    });
    expect(table.ruleFor(prototype.search, ThingsController, 'POST')?.scopes[0]).toBe(
      'warehouse.things.r',
    );
  });

  it('has no rule for a @Public() handler', () => {
    expect(table.ruleFor(ThingsController.prototype.status, ThingsController, 'GET')).toBeNull();
  });

  it('compiles a handler it did not see at boot on first use, by the same rules', () => {
    const before = table.size;
    const late = controllerWithRule({ scope: 'directory.organization' });
    const handler = (late.prototype as { list: () => void }).list;
    expect(table.ruleFor(handler, late, 'GET')?.scopes).toEqual([
      'directory.organization.r',
      'directory.organization.rw',
    ]);
    expect(table.size).toBe(before + 1);
  });

  it.each<[AccessRuleOptions, RegExp]>([
    [{ scope: 'Things' }, /scope "Things" is neither a resource name/],
    [{ scope: 'things.r' }, /scope "things.r"/],
    [{ scope: 'directory.organization.rw' }, /scope "directory.organization.rw"/],
    [{ scope: [] }, /scope is an empty list/],
    [{ roles: [] }, /roles is an empty list/],
    [{ roles: ['Admin'] }, /role "Admin" is not a role name/],
  ])('refuses to boot with the rule %j', async (rule, message) => {
    const error: unknown = await bootWith(controllerWithRule(rule)).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InvalidAccessRuleError);
    expect((error as Error).message).toMatch(/^@ZaikioAccess on BadRuleController\.list: /);
    expect((error as Error).message).toMatch(message);
  });
});
