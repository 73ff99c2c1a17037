// Covers Zaikio's docs manifest and the generated logo PNG (signature, header, checksums, pixels).
import { crc32, inflateSync } from 'node:zlib';
import { LOGO_SIZE, renderLogo } from './logo';
import { zaikioManifest } from './manifest';

describe('zaikioManifest', () => {
  it("has exactly Zaikio's fields and points into /docs", () => {
    const manifest = zaikioManifest();
    expect(Object.keys(manifest).sort()).toEqual(['logo', 'references', 'summary', 'title']);
    expect(manifest).toMatchObject({
      title: 'Warehouse API',
      logo: '/docs/logo.png',
      references: { API: '/docs/api.json' },
    });
  });
});

describe('renderLogo', () => {
  const png = renderLogo();

  function chunks(): Array<{ type: string; data: Buffer }> {
    const found: Array<{ type: string; data: Buffer }> = [];
    for (let offset = 8; offset < png.length;) {
      const length = png.readUInt32BE(offset);
      const typed = png.subarray(offset + 4, offset + 8 + length);
      expect(png.readUInt32BE(offset + 8 + length)).toBe(crc32(typed));
      found.push({ type: typed.subarray(0, 4).toString('ascii'), data: typed.subarray(4) });
      offset += 12 + length;
    }
    return found;
  }

  it('is a well-formed 64×64 RGBA PNG', () => {
    expect(png.subarray(0, 8)).toEqual(Buffer.from('89504e470d0a1a0a', 'hex'));
    const all = chunks();
    expect(all.map((chunk) => chunk.type)).toEqual(['IHDR', 'IDAT', 'IEND']);
    expect(all[0].data.readUInt32BE(0)).toBe(LOGO_SIZE);
    expect(all[0].data.readUInt32BE(4)).toBe(LOGO_SIZE);
    const pixels = inflateSync(all[1].data);
    expect(pixels.length).toBe(LOGO_SIZE * (1 + LOGO_SIZE * 4));
    // Transparent corner, opaque middle.
    expect(pixels[1 + 3]).toBe(0);
    const middle = 32 * (1 + LOGO_SIZE * 4) + 1 + 32 * 4;
    expect(pixels[middle + 3]).toBe(255);
  });
});
