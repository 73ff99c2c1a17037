// Covers the own-member check behind the validation pipe: undeclared names found by own-property
// semantics, nested DTOs and arrays of them walked, and nothing assigned through a client's name.
import 'reflect-metadata';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, IsString, ValidateNested } from 'class-validator';
import { checkMembers, isDtoClass } from './dto-members';

class Dimensions {
  @IsInt() width!: number;
  @IsInt() height!: number;
}

class Sheet {
  @IsString() name!: string;
  @IsOptional() @ValidateNested() @Type(() => Dimensions) size?: Dimensions;
  @IsOptional() @ValidateNested({ each: true }) @Type(() => Dimensions) cuts?: Dimensions[];
}

class NoRules {
  name?: string;
}

const parse = (json: string): unknown => JSON.parse(json);

describe('checkMembers', () => {
  it('passes a body that only uses declared members, nested ones included', () => {
    const body = { name: 'A4', size: { width: 210, height: 297 }, cuts: [{ width: 1, height: 2 }] };
    expect(checkMembers(body, Sheet)).toEqual({ unknown: [], known: body });
  });

  it('names every undeclared member by its path, at any depth and inside arrays', () => {
    const body = parse(
      '{"name":"A4","colour":"red","size":{"width":1,"height":2,"depth":3},' +
        '"cuts":[{"width":1,"height":2},{"width":1,"height":2,"angle":45}]}',
    );
    const { unknown, known } = checkMembers(body, Sheet);
    expect(unknown.sort()).toEqual(['colour', 'cuts.1.angle', 'size.depth']);
    expect(known).toEqual({
      name: 'A4',
      size: { width: 1, height: 2 },
      cuts: [
        { width: 1, height: 2 },
        { width: 1, height: 2 },
      ],
    });
  });

  it.each(['__proto__', 'constructor', 'prototype', 'toString', 'hasOwnProperty', 'valueOf'])(
    'treats %s as the undeclared member it is, and never assigns it',
    (name) => {
      const body = parse(
        `{"name":"A4",${JSON.stringify(name)}:{"polluted":true},"size":{${JSON.stringify(name)}:1,"width":1,"height":2}}`,
      );
      const { unknown, known } = checkMembers(body, Sheet);
      expect(unknown.sort()).toEqual([name, `size.${name}`].sort());
      expect(Object.getPrototypeOf(known)).toBe(Object.prototype);
      expect(Object.getPrototypeOf((known as { size: object }).size)).toBe(Object.prototype);
      expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    },
  );

  it('leaves scalars and arrays as they are for the validator to refuse', () => {
    expect(checkMembers(42, Sheet)).toEqual({ unknown: [], known: 42 });
    expect(checkMembers({ name: 'A4', size: 'big' }, Sheet)).toEqual({
      unknown: [],
      known: { name: 'A4', size: 'big' },
    });
  });

  it('walks a 100 000-level nesting without exhausting the stack', () => {
    class Node {
      @IsOptional() @ValidateNested() @Type(() => Node) child?: Node;
    }
    let body: Record<string, unknown> = { extra: 1 };
    for (let i = 0; i < 100_000; i++) body = { child: body };
    const { unknown } = checkMembers(body, Node);
    expect(unknown).toHaveLength(1);
    expect(unknown[0].endsWith('child.extra')).toBe(true);
  });
});

describe('isDtoClass', () => {
  it('knows a class with validation rules from one without, and from non-classes', () => {
    expect(isDtoClass(Sheet)).toBe(true);
    expect(isDtoClass(NoRules)).toBe(false);
    expect(isDtoClass(String)).toBe(false);
    expect(isDtoClass(undefined)).toBe(false);
  });
});
