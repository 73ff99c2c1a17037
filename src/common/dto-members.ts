import { defaultMetadataStorage } from 'class-transformer/cjs/storage';
import { getMetadataStorage, ValidationTypes } from 'class-validator';

/** A class whose properties carry class-validator rules: a DTO. */
type DtoClass = abstract new (...args: never[]) => object;

interface DtoShape {
  /** Every property with at least one rule: what class-validator's whitelist would let through. */
  readonly members: ReadonlySet<string>;
  /** Members validated as nested DTOs (`@ValidateNested()` with `@Type(() => Dto)`). */
  readonly nested: ReadonlyMap<string, DtoClass>;
}

export interface MemberCheck {
  /** Paths (`parent.child`, `list.0.child`) of members the DTOs do not declare, in body order. */
  readonly unknown: string[];
  /** The value with those members left out, for class-transformer and class-validator. */
  readonly known: unknown;
}

const shapes = new WeakMap<DtoClass, DtoShape>();

/** True when class-validator knows rules for the class, i.e. it is a DTO. */
export function isDtoClass(metatype: unknown): metatype is DtoClass {
  return typeof metatype === 'function' && shapeOf(metatype as DtoClass).members.size > 0;
}

/**
 * Checks a JSON value's own members against the members its DTO declares, by own-property
 * semantics: a Set of declared names, never a lookup on an ordinary object. class-validator's
 * whitelist looks names up on a plain object (so `toString`, `hasOwnProperty`, `valueOf` count as
 * declared) and Nest's pipe and class-transformer silently drop `__proto__`, `constructor` and
 * `prototype` before it looks at all; this check runs first, on the value as JSON.parse made it.
 *
 * Iterative, so the body's depth cannot exhaust the stack. `known` is built from fresh objects that
 * only receive declared names (never `__proto__`, see shapeOf), so nothing assigns through a
 * member name the client chose.
 */
export function checkMembers(value: unknown, dto: DtoClass): MemberCheck {
  const unknown: string[] = [];
  const root = { value: undefined as unknown };
  const pending: Array<{ value: unknown; dto: DtoClass; path: string; put: (v: unknown) => void }> =
    [{ value, dto, path: '', put: (known) => (root.value = known) }];
  for (let job = pending.pop(); job !== undefined; job = pending.pop()) {
    if (!isJsonObject(job.value)) {
      job.put(job.value);
      continue;
    }
    const { members, nested } = shapeOf(job.dto);
    const known: Record<string, unknown> = {};
    for (const [name, member] of Object.entries(job.value)) {
      const path = job.path === '' ? name : `${job.path}.${name}`;
      if (!members.has(name)) {
        unknown.push(path);
        continue;
      }
      known[name] = member;
      const nestedDto = nested.get(name);
      if (nestedDto === undefined) continue;
      if (Array.isArray(member)) {
        const items: unknown[] = [...(member as unknown[])];
        known[name] = items;
        items.forEach((item, index) =>
          pending.push({
            value: item,
            dto: nestedDto,
            path: `${path}.${index}`,
            put: (v) => (items[index] = v),
          }),
        );
      } else {
        pending.push({ value: member, dto: nestedDto, path, put: (v) => (known[name] = v) });
      }
    }
    job.put(known);
  }
  return { unknown, known: root.value };
}

/** An object as JSON.parse makes it: not an array, not null. */
export function isJsonObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function shapeOf(dto: DtoClass): DtoShape {
  let shape = shapes.get(dto);
  if (shape === undefined) {
    // The same call Nest's ValidationPipe makes (no groups, `always` off), so both agree.
    const metadatas = getMetadataStorage().getTargetValidationMetadatas(dto, '', false, false);
    // `__proto__` is never a member: assigning it would replace an object's prototype.
    const members = new Set(
      metadatas.map((metadata) => metadata.propertyName).filter((name) => name !== '__proto__'),
    );
    const nested = new Map<string, DtoClass>();
    for (const metadata of metadatas) {
      if (metadata.type !== ValidationTypes.NESTED_VALIDATION) continue;
      // With a discriminator the base class is used: members only its subtypes declare are
      // refused, which errs on the safe side.
      const type = defaultMetadataStorage.findTypeMetadata(dto, metadata.propertyName);
      const nestedDto = type?.typeFunction();
      if (typeof nestedDto === 'function') nested.set(metadata.propertyName, nestedDto as DtoClass);
    }
    shape = { members, nested };
    shapes.set(dto, shape);
  }
  return shape;
}
