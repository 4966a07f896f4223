import type { RandomBytes } from "./random.js";
import { secureRandomBytes } from "./random.js";

/**
 * A run id names the stack, labels every Docker object and is a NATS subject token:
 * lowercase letters and digits only, starting with a letter, short enough that
 * "<run>_<node>" stays a valid Docker name.
 */
export const RUN_ID_PATTERN = /^[a-z][a-z0-9]{3,19}$/;

const ALPHABET = "abcdefghijklmnopqrstuvwxyz0123456789";

export function newRunId(random: RandomBytes = secureRandomBytes, prefix = "ml"): string {
  const bytes = random(8);
  let suffix = "";
  for (const b of bytes) suffix += ALPHABET[b % ALPHABET.length];
  return `${prefix}${suffix}`;
}
