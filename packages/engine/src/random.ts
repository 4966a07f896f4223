import { createHash, randomBytes as cryptoRandomBytes } from "node:crypto";

/** Randomness is injected so that expansion is reproducible in tests and fresh in real runs. */
export type RandomBytes = (length: number) => Uint8Array;

export const secureRandomBytes: RandomBytes = (length) => new Uint8Array(cryptoRandomBytes(length));

/** A deterministic byte stream from a seed: SHA-256 in counter mode. Not for secrets of real networks. */
export function seededRandomBytes(seed: string): RandomBytes {
  let counter = 0;
  let pool = Buffer.alloc(0);
  return (length) => {
    while (pool.length < length) {
      const block = createHash("sha256").update(seed).update(String(counter++)).digest();
      pool = Buffer.concat([pool, block]);
    }
    const out = pool.subarray(0, length);
    pool = pool.subarray(length);
    return new Uint8Array(out);
  };
}
