// Draws Keyway's tray and app icons as PNGs (no image tools needed): `node resources/generate-icons.js`.
// A key glyph, anti-aliased by supersampling; the attention variant adds an orange dot.
// `*Template.png` are macOS template images: black plus alpha, tinted by the menu bar.
import { Buffer } from 'node:buffer';
import { writeFileSync } from 'node:fs';
import { deflateSync } from 'node:zlib';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

function crc32(buf) {
  let c = 0xffffffff;
  for (const b of buf) c = CRC_TABLE[(c ^ b) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

function chunk(type, data) {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([len, body, crc]);
}

/** RGBA pixels (Uint8Array, size*size*4) → PNG bytes. */
function png(size, rgba) {
  const header = Buffer.alloc(13);
  header.writeUInt32BE(size, 0);
  header.writeUInt32BE(size, 4);
  header[8] = 8; // bit depth
  header[9] = 6; // RGBA
  const raw = Buffer.alloc(size * (size * 4 + 1));
  for (let y = 0; y < size; y++) {
    raw[y * (size * 4 + 1)] = 0; // filter: none
    Buffer.from(rgba.buffer, y * size * 4, size * 4).copy(raw, y * (size * 4 + 1) + 1);
  }
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', deflateSync(raw, { level: 9 })),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

const inCircle = (x, y, cx, cy, r) => (x - cx) ** 2 + (y - cy) ** 2 <= r * r;
const inRect = (x, y, x0, y0, x1, y1) => x >= x0 && x <= x1 && y >= y0 && y <= y1;

/** The key, in unit coordinates: a ring (bow), a shaft, two teeth. */
function inKey(x, y) {
  const ring = inCircle(x, y, 0.3, 0.5, 0.24) && !inCircle(x, y, 0.3, 0.5, 0.11);
  const shaft = inRect(x, y, 0.5, 0.44, 0.95, 0.56);
  const teeth = inRect(x, y, 0.72, 0.56, 0.8, 0.74) || inRect(x, y, 0.86, 0.56, 0.95, 0.7);
  return ring || shaft || teeth;
}

const DOT = { cx: 0.8, cy: 0.2, r: 0.19, gap: 0.07 };

/**
 * Paints one icon. `layers` returns, for a unit point, [r,g,b] or null; coverage by 4×4
 * supersampling gives smooth edges at 16 px.
 */
function draw(size, paint) {
  const out = new Uint8Array(size * size * 4);
  const n = 4;
  for (let py = 0; py < size; py++) {
    for (let px = 0; px < size; px++) {
      let r = 0;
      let g = 0;
      let b = 0;
      let a = 0;
      for (let sy = 0; sy < n; sy++) {
        for (let sx = 0; sx < n; sx++) {
          const color = paint((px + (sx + 0.5) / n) / size, (py + (sy + 0.5) / n) / size);
          if (!color) continue;
          r += color[0];
          g += color[1];
          b += color[2];
          a++;
        }
      }
      const i = (py * size + px) * 4;
      if (a > 0) {
        out[i] = Math.round(r / a);
        out[i + 1] = Math.round(g / a);
        out[i + 2] = Math.round(b / a);
        out[i + 3] = Math.round((255 * a) / (n * n));
      }
    }
  }
  return out;
}

const BLUE = [47, 95, 224];
const ORANGE = [247, 103, 7];
const BLACK = [0, 0, 0];
const WHITE = [255, 255, 255];

function trayPaint(keyColor, dotColor) {
  return (x, y) => {
    if (dotColor) {
      if (inCircle(x, y, DOT.cx, DOT.cy, DOT.r)) return dotColor;
      if (inCircle(x, y, DOT.cx, DOT.cy, DOT.r + DOT.gap)) return null;
    }
    return inKey(x, y) ? keyColor : null;
  };
}

/** The app icon: a rounded blue square with a white key. */
function appPaint(x, y) {
  const pad = 0.06;
  const rad = 0.2;
  const cx = Math.min(Math.max(x, pad + rad), 1 - pad - rad);
  const cy = Math.min(Math.max(y, pad + rad), 1 - pad - rad);
  if (!inCircle(x, y, cx, cy, rad)) return null;
  const k = 0.16;
  const kx = (x - k) / (1 - 2 * k);
  const ky = (y - k) / (1 - 2 * k);
  return kx >= 0 && kx <= 1 && ky >= 0 && ky <= 1 && inKey(kx, ky) ? WHITE : [36, 81, 199];
}

const files = [
  ['tray.png', 16, trayPaint(BLUE, null)],
  ['tray@2x.png', 32, trayPaint(BLUE, null)],
  ['tray-attention.png', 16, trayPaint(BLUE, ORANGE)],
  ['tray-attention@2x.png', 32, trayPaint(BLUE, ORANGE)],
  ['trayTemplate.png', 16, trayPaint(BLACK, null)],
  ['trayTemplate@2x.png', 32, trayPaint(BLACK, null)],
  ['trayAttentionTemplate.png', 16, trayPaint(BLACK, BLACK)],
  ['trayAttentionTemplate@2x.png', 32, trayPaint(BLACK, BLACK)],
  ['icon.png', 512, appPaint],
];

for (const [name, size, paint] of files) {
  writeFileSync(join(here, name), png(size, draw(size, paint)));
  process.stdout.write(`${name} ${size}×${size}\n`);
}
