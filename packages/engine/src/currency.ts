/** Mina amounts: 1 MINA = 10^9 nanomina. Amounts are bigints of nanomina in code, decimal MINA strings in configs. */
export const NANOMINA_PER_MINA = 1_000_000_000n;

const MINA_AMOUNT = /^(\d{1,12})(?:\.(\d{1,9}))?$/;

/** Parses "1000", "0.025" (MINA) into nanomina; undefined when the text is not an amount. */
export function parseMina(text: string): bigint | undefined {
  const match = MINA_AMOUNT.exec(text.trim());
  if (!match) return undefined;
  const whole = BigInt(match[1] ?? "0");
  const fraction = BigInt((match[2] ?? "").padEnd(9, "0"));
  return whole * NANOMINA_PER_MINA + fraction;
}

/** Formats nanomina as a MINA decimal string without trailing zeros ("720", "0.025"). */
export function formatMina(nanomina: bigint): string {
  const sign = nanomina < 0n ? "-" : "";
  const abs = nanomina < 0n ? -nanomina : nanomina;
  const whole = abs / NANOMINA_PER_MINA;
  const fraction = (abs % NANOMINA_PER_MINA).toString().padStart(9, "0").replace(/0+$/, "");
  return fraction ? `${sign}${whole}.${fraction}` : `${sign}${whole}`;
}

/** Mina's default coinbase (720 MINA) and account creation fee (1 MINA). */
export const DEFAULT_COINBASE = 720n * NANOMINA_PER_MINA;
export const ACCOUNT_CREATION_FEE = 1n * NANOMINA_PER_MINA;
