// The lines a torture writer writes: deterministic, so the reader can check every byte.

const INVALID_UTF8 = Buffer.from([0xff, 0xfe, 0xc3, 0x28, 0xa0, 0xa1, 0xe2, 0x28, 0xa1, 0xf0, 0x28, 0x8c, 0xbc]);

function filled(length: number, seed: number): Buffer {
  const buf = Buffer.allocUnsafe(length);
  const a = 0x21 + (seed % 50);
  for (let i = 0; i < length; i++) buf[i] = a + (i % 40);
  return buf;
}

export function tortureLine(node: string, i: number): Buffer {
  if (i % 100_000 === 777) return filled(1024 * 1024, i);
  if (i % 10_000 === 55) return filled(100 * 1024, i);
  if (i % 1_000 === 3) return filled(5 * 1024, i);
  if (i % 997 === 0) return Buffer.concat([Buffer.from(`${i} `), INVALID_UTF8]);
  if (i % 991 === 0) return Buffer.from(`{"level":"Info","message":"malformed ${i}`);
  if (i % 5_000 === 1) return Buffer.alloc(0);
  return Buffer.from(`{"timestamp":"2026-11-26 12:00:00.123456Z","level":"Info","source":{"module":"Torture"},"message":"line ${i} of ${node}","metadata":{"i":${i}}}`);
}
