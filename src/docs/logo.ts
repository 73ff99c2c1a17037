import { crc32, deflateSync } from 'node:zlib';

/**
 * The docs logo, drawn in code: a white warehouse on a teal rounded square, 64×64 RGBA PNG.
 * Drawing it here means no binary asset to commit and nothing `nest build` must copy.
 */
export const LOGO_SIZE = 64;

type Rgba = readonly [number, number, number, number];
const TEAL: Rgba = [15, 118, 110, 255];
const WHITE: Rgba = [255, 255, 255, 255];
const CLEAR: Rgba = [0, 0, 0, 0];

function pixel(x: number, y: number): Rgba {
  const radius = 12;
  const cornerX = Math.min(x, LOGO_SIZE - 1 - x);
  const cornerY = Math.min(y, LOGO_SIZE - 1 - y);
  if (
    cornerX < radius &&
    cornerY < radius &&
    Math.hypot(radius - cornerX, radius - cornerY) > radius
  ) {
    return CLEAR;
  }
  const roof = y >= 12 && y < 30 && Math.abs(x - 32) <= ((y - 12) * 20) / 18;
  const walls = y >= 30 && y < 52 && x >= 16 && x < 48;
  // A roller door: teal with white slats.
  const door = y >= 36 && y < 52 && x >= 24 && x < 40 && (y - 36) % 4 !== 3;
  return (roof || walls) && !door ? WHITE : TEAL;
}

function chunk(type: string, data: Buffer): Buffer {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([length, body, crc]);
}

export function renderLogo(): Buffer {
  const header = Buffer.alloc(13);
  header.writeUInt32BE(LOGO_SIZE, 0);
  header.writeUInt32BE(LOGO_SIZE, 4);
  header.set([8, 6, 0, 0, 0], 8); // 8 bits per channel, RGBA, deflate, no filter, no interlace
  const rows: number[] = [];
  for (let y = 0; y < LOGO_SIZE; y++) {
    rows.push(0); // filter type "none" for every scanline
    for (let x = 0; x < LOGO_SIZE; x++) rows.push(...pixel(x, y));
  }
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', deflateSync(Buffer.from(rows))),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}
