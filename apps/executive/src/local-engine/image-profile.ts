import { z } from "zod";
import { MinaLocalError, type ProofLevel, type RuntimeConfig } from "@mina-local/engine";

/**
 * The image's own profile, from `mina advanced compile-time-constants` (a JSON map; Mina's
 * client.ml at 9f068b1c3b prints genesis_state_timestamp, k, coinbase,
 * block_window_duration_ms, delta, sub_windows_per_window, slots_per_sub_window,
 * slots_per_window, slots_per_epoch; the simulator adds proof_level). The probe runs it over
 * the run's runtime config (MINA_CONFIG_FILE), so each value is what the binary will run
 * with: a value that differs from the runtime config's is one the binary fixes at compile time.
 */
const ConstantsSchema = z.looseObject({
  k: z.number().int().optional(),
  delta: z.number().int().optional(),
  slots_per_epoch: z.number().int().optional(),
  slots_per_sub_window: z.number().int().optional(),
  block_window_duration_ms: z.number().int().optional(),
  proof_level: z.enum(["none", "check", "full"]).optional(),
});
export type ImageConstants = z.infer<typeof ConstantsSchema>;

/** Parses the command's stdout (its last JSON line); undefined with a reason when it is not Mina's JSON map. */
export function parseCompileTimeConstants(stdout: string): { constants: ImageConstants } | { problem: string } {
  const line = stdout
    .trim()
    .split("\n")
    .reverse()
    .find((l) => l.trim().startsWith("{"));
  if (!line) return { problem: `no JSON object in its output: ${stdout.trim().slice(0, 200)}` };
  let json: unknown;
  try {
    json = JSON.parse(line);
  } catch (error) {
    return { problem: `its output is not JSON (${error instanceof Error ? error.message : String(error)})` };
  }
  const parsed = ConstantsSchema.safeParse(json);
  if (!parsed.success) return { problem: `unexpected fields: ${parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ")}` };
  return { constants: parsed.data };
}

/** The constants the probe compares, by their test-config field and where the runtime config holds them. */
const FIELDS = [
  { field: "k", constant: "k", runtime: (c: RuntimeConfig) => c.genesis.k },
  { field: "delta", constant: "delta", runtime: (c: RuntimeConfig) => c.genesis.delta },
  { field: "slots_per_epoch", constant: "slots_per_epoch", runtime: (c: RuntimeConfig) => c.genesis.slots_per_epoch },
  { field: "slots_per_sub_window", constant: "slots_per_sub_window", runtime: (c: RuntimeConfig) => c.genesis.slots_per_sub_window },
  { field: "proof_config.block_window_duration_ms", constant: "block_window_duration_ms", runtime: (c: RuntimeConfig) => c.proof.block_window_duration_ms },
] as const;

/** The fields of the test's own config the profile may override, as paths: what the test set itself. */
export function explicitFields(rawConfig: unknown): Set<string> {
  const out = new Set<string>();
  if (typeof rawConfig !== "object" || rawConfig === null) return out;
  const config = rawConfig as Record<string, unknown>;
  for (const key of ["k", "delta", "slots_per_epoch", "slots_per_sub_window"]) if (config[key] !== undefined) out.add(key);
  const proof = config["proof_config"];
  if (typeof proof === "object" && proof !== null) {
    for (const key of ["block_window_duration_ms", "level"]) if ((proof as Record<string, unknown>)[key] !== undefined) out.add(`proof_config.${key}`);
  }
  return out;
}

export interface Refusal {
  field: string;
  test: string | number;
  image: string | number;
}

export interface Reconciled {
  /** fields the test set and the binary cannot run: the run is refused */
  refusals: Refusal[];
  /** fields the test left to defaults, where the binary runs its own value: taken from the image */
  adopted: { field: string; value: string | number }[];
}

/**
 * Pure: the test's constants against what the binary runs with. A field the test set that
 * the binary does not run as asked is a refusal (field, the test's value, the image's value);
 * a field the test left to Mina's defaults takes the image's value. The proof level: the
 * image's profile when it says one (the simulator: none), else the test's or Mina's full.
 */
export function reconcileWithImage(runtime: RuntimeConfig, constants: ImageConstants, explicit: ReadonlySet<string>): Reconciled {
  const refusals: Refusal[] = [];
  const adopted: Reconciled["adopted"] = [];
  for (const { field, constant, runtime: wanted } of FIELDS) {
    const image = constants[constant];
    const test = wanted(runtime);
    if (image === undefined || image === test) continue;
    if (explicit.has(field)) refusals.push({ field, test, image });
    else adopted.push({ field, value: image });
  }
  const level = constants.proof_level;
  if (level !== undefined && level !== runtime.proof.level) {
    if (explicit.has("proof_config.level")) refusals.push({ field: "proof_config.level", test: runtime.proof.level, image: level });
    else adopted.push({ field: "proof_config.level", value: level });
  }
  return { refusals, adopted };
}

/** The refusal as the user reads it: one line per field, before anything is deployed. */
export function refusalError(image: string, test: string, refusals: readonly Refusal[]): MinaLocalError {
  const lines = refusals.map((r) => `test ${test}: ${r.field}: the test asks for ${JSON.stringify(r.test)}, the image ${image} runs ${JSON.stringify(r.image)} (fixed when it was compiled)`);
  return new MinaLocalError("invalid-config", `the image cannot run this test's constants:\n${lines.join("\n")}`, {
    hint: "use an image built for these constants (its `mina advanced compile-time-constants` says what it runs), or leave the fields out of the test so that it runs on the image's own",
  });
}

/** The test config with the adopted values (the shape of TestConfigInput, for a second expansion). */
export function withAdopted<T extends { proof_config?: object }>(config: T, adopted: Reconciled["adopted"]): T {
  const next: Record<string, unknown> = { ...config, proof_config: { ...(config.proof_config ?? {}) } };
  for (const { field, value } of adopted) {
    if (field.startsWith("proof_config.")) (next["proof_config"] as Record<string, unknown>)[field.slice("proof_config.".length)] = value;
    else next[field] = value;
  }
  return next as T;
}

export type { ProofLevel };
