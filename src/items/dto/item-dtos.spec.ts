// Covers the item DTO rules as the global ValidationPipe applies them (whitelist, no coercion).
import { plainToInstance } from 'class-transformer';
import { validate } from 'class-validator';
import { anItemInput } from '../testing/builders';
import { CreateItemDto } from './create-item.dto';
import { ListItemsQueryDto } from './list-items-query.dto';
import { UpdateItemDto } from './update-item.dto';

/** Names of the properties that fail, like the 422 body's keys. */
async function invalidFields<T extends object>(dto: new () => T, plain: object): Promise<string[]> {
  const errors = await validate(plainToInstance(dto, plain), {
    whitelist: true,
    forbidNonWhitelisted: true,
  });
  return errors.map((error) => error.property).sort();
}

describe('CreateItemDto', () => {
  it('accepts a complete item', async () => {
    expect(await invalidFields(CreateItemDto, anItemInput())).toEqual([]);
    expect(await invalidFields(CreateItemDto, anItemInput({ quantity: 0 }))).toEqual([]);
  });

  it('requires every field', async () => {
    expect(await invalidFields(CreateItemDto, {})).toEqual(['name', 'quantity', 'sku', 'unit']);
  });

  it.each([
    ['a string', '5'],
    ['a float', 1.5],
    ['a negative number', -1],
    ['a boolean', true],
    ['too large for the column', 2 ** 31],
  ])('rejects a quantity that is %s', async (_case, quantity) => {
    expect(await invalidFields(CreateItemDto, { ...anItemInput(), quantity })).toEqual([
      'quantity',
    ]);
  });

  it.each([
    ['sku', ''],
    ['sku', 'x'.repeat(65)],
    ['sku', 'A\u0000B'],
    ['name', ''],
    ['name', 'x'.repeat(201)],
    ['unit', 'litres'],
    ['unit', null],
  ])('rejects %s = %j', async (field, value) => {
    expect(await invalidFields(CreateItemDto, { ...anItemInput(), [field]: value })).toEqual([
      field,
    ]);
  });

  it('accepts the longest allowed sku and name', async () => {
    const longest = anItemInput({ sku: 'x'.repeat(64), name: 'y'.repeat(200) });
    expect(await invalidFields(CreateItemDto, longest)).toEqual([]);
  });

  it('rejects fields it does not know', async () => {
    expect(await invalidFields(CreateItemDto, { ...anItemInput(), id: 'mine' })).toEqual(['id']);
  });
});

describe('UpdateItemDto', () => {
  it('accepts an empty body and any subset of fields', async () => {
    expect(await invalidFields(UpdateItemDto, {})).toEqual([]);
    expect(await invalidFields(UpdateItemDto, { quantity: 3 })).toEqual([]);
  });

  it('applies the create rules to the fields it gets', async () => {
    expect(await invalidFields(UpdateItemDto, { quantity: -1, unit: 'm' })).toEqual([
      'quantity',
      'unit',
    ]);
  });

  it('refuses null: a field is either left out or valid', async () => {
    expect(await invalidFields(UpdateItemDto, { name: null, sku: null })).toEqual(['name', 'sku']);
  });
});

describe('ListItemsQueryDto', () => {
  it('defaults to the first page of 100', () => {
    expect(plainToInstance(ListItemsQueryDto, {})).toEqual({ page: 1, per_page: 100 });
  });

  it('converts query strings to numbers', () => {
    expect(plainToInstance(ListItemsQueryDto, { page: '3', per_page: '7' })).toEqual({
      page: 3,
      per_page: 7,
    });
  });

  it.each([
    [{ page: '0' }, ['page']],
    [{ page: 'abc' }, ['page']],
    [{ page: '1.5' }, ['page']],
    [{ per_page: '0' }, ['per_page']],
    [{ per_page: '101' }, ['per_page']],
    [{ page: '2', per_page: '100' }, []],
  ])('validates %j', async (query, invalid) => {
    expect(await invalidFields(ListItemsQueryDto, query)).toEqual(invalid);
  });
});
