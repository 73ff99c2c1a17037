import { allocatorIn, memoryAllocator } from './memory-allocator';

const mapping = (path: string): string =>
  `7f1c2a000000-7f1c2a026000 r--p 00000000 08:01 1234 ${path}\n`;

describe('allocatorIn', () => {
  it('names jemalloc and where it was loaded from when it is mapped', () => {
    const maps = [
      mapping('/usr/bin/node'),
      mapping('/usr/lib/x86_64-linux-gnu/libjemalloc.so.2'),
      mapping('[heap]'),
    ].join('');
    expect(allocatorIn(maps)).toBe('jemalloc (/usr/lib/x86_64-linux-gnu/libjemalloc.so.2)');
  });

  it("says the system's malloc when no jemalloc is mapped", () => {
    expect(allocatorIn(mapping('/usr/bin/node') + mapping('/usr/lib/libc.so.6'))).toBe(
      "the system's malloc",
    );
  });

  it('says unknown where /proc is missing (macOS)', () => {
    expect(allocatorIn(null)).toMatch(/^unknown/);
  });
});

describe('memoryAllocator', () => {
  it('reads a process that is gone as unknown instead of throwing', () => {
    expect(memoryAllocator(2 ** 22 + 1)).toMatch(/^unknown/);
  });
});
