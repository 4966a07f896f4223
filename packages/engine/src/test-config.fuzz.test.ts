import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { MinaLocalError } from "./errors.js";
import { NODE_NAME_PATTERN } from "./roles.js";
import { parseTestConfig, snarkWorkerName } from "./test-config.js";

/**
 * Fuzz-style check of the test-config boundary (issue 10, "Bad input"): thousands of
 * seeded mutations of valid configs. A bad config must never throw, must come back as
 * `ok: false`, and every error line must be `test config: <field path>: <message>`,
 * one of them naming the field that was broken. A few harmless mutations stay valid.
 */

const SEED = 0x6d696e61; // "mina": fixed so a failure is reproducible
// `pnpm test:unit` (the edit-test loop) sets QUICK_TESTS=1 and runs a tenth of the cases; `pnpm test` runs them all
const QUICK = process.env.QUICK_TESTS === "1";
const BAD_CASES = QUICK ? 1_000 : 10_000;
const VALID_CASES = QUICK ? 50 : 500;

// ---------------------------------------------------------------- seeded generator

class Rng {
  private state: number;
  constructor(seed: number) {
    this.state = seed >>> 0;
  }
  /** mulberry32 */
  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }
  pick<T>(items: readonly T[]): T {
    return items[this.int(0, items.length - 1)] as T;
  }
  chance(p: number): boolean {
    return this.next() < p;
  }
}

type Obj = Record<string, unknown>;
type Path = (string | number)[];

function formatPath(path: Path): string {
  let out = "";
  for (const part of path) out += typeof part === "number" ? `[${part}]` : out ? `.${part}` : part;
  return out || "(top level)";
}

function validAmount(rng: Rng): string {
  const whole = String(rng.int(0, 1_000_000_000));
  if (!rng.chance(0.4)) return whole;
  return `${whole}.${String(rng.int(0, 999_999_999)).padStart(9, "0").slice(0, rng.int(1, 9))}`;
}

function validTiming(rng: Rng): Obj {
  return {
    initial_minimum_balance: validAmount(rng),
    cliff_time: rng.int(0, 10_000),
    cliff_amount: validAmount(rng),
    vesting_period: rng.int(1, 100),
    vesting_increment: validAmount(rng),
  };
}

/** A config the schema accepts, with a random choice of optional fields. */
function validConfig(rng: Rng): Obj {
  const producers = rng.int(1, 4);
  const ledger: Obj[] = [];
  const blockProducers: Obj[] = [];
  for (let i = 0; i < producers; i++) {
    ledger.push({ account_name: `bp${i}-key`, balance: validAmount(rng), ...(rng.chance(0.2) && { timing: validTiming(rng) }) });
    blockProducers.push({ node_name: `bp${i}`, account_name: `bp${i}-key` });
  }
  for (let i = rng.int(0, 3); i > 0; i--) ledger.push({ account_name: `extra-${i}`, balance: validAmount(rng) });
  const config: Obj = { genesis_ledger: ledger, block_producers: blockProducers };
  if (rng.chance(0.4)) {
    ledger.push({ account_name: "snark-key", balance: validAmount(rng) });
    config.snark_coordinator = { node_name: "snark", account_name: "snark-key", worker_nodes: rng.int(0, 4) };
  }
  if (rng.chance(0.5)) {
    const subWindow = rng.int(1, 11);
    const slotsPerEpoch = subWindow * rng.int(Math.ceil(8 / subWindow), Math.floor(7140 / subWindow));
    config.slots_per_sub_window = subWindow;
    config.slots_per_epoch = slotsPerEpoch;
    config.k = rng.int(1, Math.min(290, Math.floor(slotsPerEpoch / 3)));
  }
  if (rng.chance(0.3)) config.delta = rng.int(0, 20);
  if (rng.chance(0.3)) config.txpool_max_size = rng.int(1, 100_000);
  if (rng.chance(0.3)) config.num_archive_nodes = rng.int(0, 4);
  if (rng.chance(0.3)) config.requires_graphql = rng.chance(0.5);
  if (rng.chance(0.3)) config.log_precomputed_blocks = rng.chance(0.5);
  if (rng.chance(0.3)) config.snark_worker_fee = validAmount(rng);
  if (rng.chance(0.4)) {
    const proof: Obj = {};
    if (rng.chance(0.5)) proof.block_window_duration_ms = rng.int(500, 3_600_000);
    if (rng.chance(0.5)) proof.transaction_capacity_log_2 = rng.int(1, 10);
    if (rng.chance(0.5)) proof.work_delay = rng.int(0, 10);
    if (rng.chance(0.5)) proof.level = rng.pick(["none", "check", "full"]);
    config.proof_config = proof;
  }
  return config;
}

// ---------------------------------------------------------------- where fields are

type Kind = "bool" | "int" | "string" | "amount" | "name" | "array" | "object" | "enum";
interface Field {
  path: Path;
  kind: Kind;
  required: boolean;
  range?: [number, number];
}

const TOP_FIELDS: Field[] = [
  { path: ["requires_graphql"], kind: "bool", required: false },
  { path: ["genesis_ledger"], kind: "array", required: true },
  { path: ["block_producers"], kind: "array", required: true },
  { path: ["snark_coordinator"], kind: "object", required: false },
  { path: ["snark_worker_fee"], kind: "amount", required: false },
  { path: ["num_archive_nodes"], kind: "int", required: false, range: [0, 4] },
  { path: ["log_precomputed_blocks"], kind: "bool", required: false },
  { path: ["proof_config"], kind: "object", required: false },
  { path: ["k"], kind: "int", required: false, range: [1, 290] },
  { path: ["delta"], kind: "int", required: false, range: [0, 20] },
  { path: ["slots_per_epoch"], kind: "int", required: false, range: [8, 7140] },
  { path: ["slots_per_sub_window"], kind: "int", required: false, range: [1, 11] },
  { path: ["txpool_max_size"], kind: "int", required: false, range: [1, 100_000] },
];
const PROOF_FIELDS: Field[] = [
  { path: ["proof_config", "block_window_duration_ms"], kind: "int", required: false, range: [500, 3_600_000] },
  { path: ["proof_config", "transaction_capacity_log_2"], kind: "int", required: false, range: [1, 10] },
  { path: ["proof_config", "work_delay"], kind: "int", required: false, range: [0, 10] },
  { path: ["proof_config", "level"], kind: "enum", required: false },
];
const TIMING_FIELDS = (prefix: Path): Field[] => [
  { path: [...prefix, "initial_minimum_balance"], kind: "amount", required: true },
  { path: [...prefix, "cliff_time"], kind: "int", required: true, range: [0, Number.MAX_SAFE_INTEGER] },
  { path: [...prefix, "cliff_amount"], kind: "amount", required: true },
  { path: [...prefix, "vesting_period"], kind: "int", required: true, range: [1, Number.MAX_SAFE_INTEGER] },
  { path: [...prefix, "vesting_increment"], kind: "amount", required: true },
];

/** Every field of this config (and the optional objects' fields when the object is there). */
function fieldsOf(config: Obj): Field[] {
  const fields = [...TOP_FIELDS];
  (config.genesis_ledger as Obj[]).forEach((account, i) => {
    fields.push({ path: ["genesis_ledger", i, "account_name"], kind: "string", required: true });
    fields.push({ path: ["genesis_ledger", i, "balance"], kind: "amount", required: true });
    fields.push({ path: ["genesis_ledger", i, "timing"], kind: "object", required: false });
    if (account.timing) fields.push(...TIMING_FIELDS(["genesis_ledger", i, "timing"]));
  });
  (config.block_producers as Obj[]).forEach((_, i) => {
    fields.push({ path: ["block_producers", i, "node_name"], kind: "name", required: true });
    fields.push({ path: ["block_producers", i, "account_name"], kind: "string", required: true });
  });
  if (config.snark_coordinator) {
    fields.push({ path: ["snark_coordinator", "node_name"], kind: "name", required: true });
    fields.push({ path: ["snark_coordinator", "account_name"], kind: "string", required: true });
    fields.push({ path: ["snark_coordinator", "worker_nodes"], kind: "int", required: true, range: [0, 16] });
  }
  if (config.proof_config) fields.push(...PROOF_FIELDS);
  return fields;
}

function containerOf(config: Obj, path: Path): Obj {
  let at: unknown = config;
  for (const part of path) at = (at as Record<string | number, unknown>)[part];
  return at as Obj;
}

function setAt(config: Obj, path: Path, value: unknown): void {
  const parent = containerOf(config, path.slice(0, -1));
  const key = path[path.length - 1] as string;
  if (value === REMOVE) delete parent[key];
  else Object.defineProperty(parent, key, { value, enumerable: true, writable: true, configurable: true });
}
const REMOVE = Symbol("remove");

// ---------------------------------------------------------------- junk

function deeplyNested(rng: Rng, depth: number): unknown {
  let value: unknown = rng.pick([1, "x", null, true]);
  for (let i = 0; i < depth; i++) value = rng.chance(0.5) ? [value] : { [rng.pick(["a", "__proto__", "k"])]: value };
  return value;
}

function junk(rng: Rng): unknown {
  return rng.pick<() => unknown>([
    () => null,
    () => rng.int(-5, 5),
    () => "",
    () => "surprise",
    () => [],
    () => ({}),
    () => true,
    () => Number.NaN,
    () => Number.POSITIVE_INFINITY,
    () => new Date(0),
    () => deeplyNested(rng, rng.int(10, 3000)),
    () => new Array(rng.int(0, 2000)).fill(0),
  ])();
}

function wrongTypeFor(rng: Rng, kind: Kind): unknown {
  const byKind: Record<Kind, unknown[]> = {
    bool: [0, 1, "true", "false", null, [], {}, "yes"],
    int: ["5", "0", null, true, [], {}, 1.5, -0.5, Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY, 10n, [3]],
    string: [5, 0, null, true, [], {}, ["bp0-key"], new Date(0), 10n],
    amount: [1000, 0, -1, null, true, [], {}, ["1000"], 1000n, { mina: "1" }],
    name: [5, null, true, [], {}, ["bp0"], 10n],
    array: [{}, "bp0", null, 5, true, { length: 1, 0: {} }, new Map()],
    object: [[], "x", 5, null, true, [{}]],
    enum: ["fast", "None", "", 0, null, true, ["none"]],
  };
  const options = byKind[kind];
  if (kind === "array" || kind === "object" || rng.chance(0.85)) return rng.pick(options);
  return deeplyNested(rng, rng.int(50, 5000));
}

function outOfRange(rng: Rng, [min, max]: [number, number]): number {
  return rng.pick([min - 1, min - rng.int(2, 1000), max + 1, max + rng.int(2, 1_000_000), -1e300, 1e300, Number.MAX_SAFE_INTEGER + 2].filter((n) => n < min || n > max));
}

/** Not amounts of MINA. Balances above uint64 nanomina are tested on their own below. */
const GARBAGE_AMOUNTS = [
  "-5",
  "-0.1",
  "-0",
  "abc",
  "",
  "1.0000000001",
  "1e3",
  "0x10",
  "1,000",
  "1_000",
  "١٠",
  "Infinity",
  "NaN",
  "1.",
  ".5",
  "+1",
  "1 000",
  "9".repeat(13),
  "1".repeat(5000),
  "0.1.2",
  "1/2",
  "½",
  "1000 MINA",
];

const BAD_NAMES = ["BP1", "1bp", "bp_1", "", "a".repeat(41), "bp.1", "bp 1", "-bp", "bp-", "ñandu", "bp*", "bp>", "mina.run"];

/** Keys a strict schema must refuse; control characters are tested on their own below. */
const UNKNOWN_KEYS = ["surprise", "__proto__", "constructor", "prototype", "toString", "hasOwnProperty", "valueOf", "", " ", "a.b", "k ", "K", "genesisLedger", "block-producers", "😀", "$where", "0"];

// ---------------------------------------------------------------- mutations

interface BadCase {
  /** the mutation that made it */
  kind?: string;
  what: string;
  config: unknown;
  /** a line must start with "test config: <path>:" */
  path: string;
  /** ...and mention this (the unknown key) */
  mentions?: string;
}

type Mutation = (rng: Rng, config: Obj) => BadCase;

const unknownKey: Mutation = (rng, config) => {
  const containers: Path[] = [[], ["genesis_ledger", rng.int(0, (config.genesis_ledger as Obj[]).length - 1)], ["block_producers", rng.int(0, (config.block_producers as Obj[]).length - 1)]];
  if (config.proof_config) containers.push(["proof_config"]);
  if (config.snark_coordinator) containers.push(["snark_coordinator"]);
  (config.genesis_ledger as Obj[]).forEach((a, i) => a.timing && containers.push(["genesis_ledger", i, "timing"]));
  const container = rng.pick(containers);
  const key = rng.chance(0.3) ? `x${rng.int(0, 1e6)}` : rng.pick(UNKNOWN_KEYS);
  const target = containerOf(config, container);
  if (Object.hasOwn(target, key)) return unknownKey(rng, config);
  setAt(config, [...container, key], junk(rng));
  // through JSON too, as a config file would bring "__proto__" as an own key
  const out = rng.chance(0.3) && !containsUnserializable(config) ? (JSON.parse(JSON.stringify(config)) as unknown) : config;
  return { what: `unknown key ${JSON.stringify(key)} in ${formatPath(container)}`, config: out, path: formatPath(container), mentions: key };
};

function containsUnserializable(value: unknown): boolean {
  try {
    JSON.stringify(value);
    return false;
  } catch {
    return true;
  }
}

const wrongType: Mutation = (rng, config) => {
  const field = rng.pick(fieldsOf(config));
  const value = field.required && rng.chance(0.15) ? REMOVE : wrongTypeFor(rng, field.kind);
  setAt(config, field.path, value);
  return { what: `${formatPath(field.path)} = ${describeValue(value)}`, config, path: formatPath(field.path) };
};

const intOutOfRange: Mutation = (rng, config) => {
  const field = rng.pick(fieldsOf(config).filter((f) => f.range));
  // a huge worker count exhausts memory (see the test below), so the fuzzer stays under 100
  const value = field.path.at(-1) === "worker_nodes" ? rng.pick([-1, -1000, -1e300, 17, rng.int(18, 100)]) : outOfRange(rng, field.range as [number, number]);
  setAt(config, field.path, value);
  return { what: `${formatPath(field.path)} = ${value}`, config, path: formatPath(field.path) };
};

const kAgainstSlots: Mutation = (rng, config) => {
  const subWindow = rng.int(1, 11);
  const slotsPerEpoch = subWindow * rng.int(Math.ceil(8 / subWindow), Math.floor(870 / subWindow));
  Object.assign(config, { slots_per_sub_window: subWindow, slots_per_epoch: slotsPerEpoch, k: rng.int(Math.floor(slotsPerEpoch / 3) + 1, 290) });
  return { what: `k ${String(config.k)} > slots_per_epoch ${slotsPerEpoch} / 3`, config, path: "k" };
};

const slotsNotMultiple: Mutation = (rng, config) => {
  const subWindow = rng.int(2, 11);
  let slotsPerEpoch = rng.int(600, 7140);
  if (slotsPerEpoch % subWindow === 0) slotsPerEpoch -= 1;
  Object.assign(config, { slots_per_sub_window: subWindow, slots_per_epoch: slotsPerEpoch, k: 20 });
  return { what: `slots_per_epoch ${slotsPerEpoch} % ${subWindow} != 0`, config, path: "slots_per_epoch" };
};

const badAmount: Mutation = (rng, config) => {
  const amounts = fieldsOf(config).filter((f) => f.kind === "amount");
  const field = rng.pick(amounts);
  const value = rng.pick(GARBAGE_AMOUNTS);
  setAt(config, field.path, value);
  return { what: `${formatPath(field.path)} = ${JSON.stringify(value.slice(0, 20))}`, config, path: formatPath(field.path) };
};

const badNodeName: Mutation = (rng, config) => {
  const names = fieldsOf(config).filter((f) => f.kind === "name");
  const field = rng.pick(names);
  setAt(config, field.path, rng.pick(BAD_NAMES));
  return { what: `${formatPath(field.path)} invalid`, config, path: formatPath(field.path) };
};

const duplicateNodeName: Mutation = (rng, config) => {
  const producers = config.block_producers as Obj[];
  const ledger = config.genesis_ledger as Obj[];
  const sc = config.snark_coordinator as Obj | undefined;
  const choice = rng.int(0, 3);
  if (choice === 0 || (choice === 1 && !sc) || (choice === 3 && (!sc || sc.worker_nodes === 0))) {
    // a second block producer with the name of an earlier one
    const earlier = producers[rng.int(0, producers.length - 1)] as Obj;
    ledger.push({ account_name: "dup-key", balance: "1" });
    producers.push({ node_name: earlier.node_name, account_name: "dup-key" });
    return { what: `duplicate node name ${String(earlier.node_name)}`, config, path: `block_producers[${producers.length - 1}].node_name` };
  }
  if (choice === 1 && sc) {
    sc.node_name = (producers[rng.int(0, producers.length - 1)] as Obj).node_name;
    return { what: "snark coordinator named like a block producer", config, path: "snark_coordinator.node_name" };
  }
  if (choice === 2) {
    const i = rng.int(0, producers.length - 1);
    (producers[i] as Obj).node_name = rng.pick(["seed", "archive-0", "archive-3", "archive-17"]);
    return { what: "reserved node name", config, path: `block_producers[${i}].node_name` };
  }
  // a block producer named like one of the coordinator's workers
  const coordinator = sc as Obj;
  const i = rng.int(0, producers.length - 1);
  (producers[i] as Obj).node_name = snarkWorkerName(String(coordinator.node_name), rng.int(0, Number(coordinator.worker_nodes) - 1));
  return { what: "block producer named like a snark worker", config, path: "snark_coordinator.worker_nodes" };
};

const missingAccount: Mutation = (rng, config) => {
  const producers = config.block_producers as Obj[];
  const ledger = config.genesis_ledger as Obj[];
  const i = rng.int(0, producers.length - 1);
  const producer = producers[i] as Obj;
  switch (rng.int(0, 3)) {
    case 0:
      producer.account_name = rng.pick(["nobody", "bp0-key ", "BP0-KEY", "bp9-key", "__proto__", "constructor", "toString"]);
      return { what: "block producer names an unknown account", config, path: `block_producers[${i}].account_name` };
    case 1: {
      const at = ledger.findIndex((a) => a.account_name === producer.account_name);
      ledger.splice(at, 1);
      return { what: "block producer's account removed", config, path: ledger.length === 0 ? "genesis_ledger" : `block_producers[${i}].account_name` };
    }
    case 2: {
      if (producers.length < 2) return missingAccount(rng, config);
      const j = i === 0 ? 1 : 0;
      producers[Math.max(i, j)] = { ...(producers[Math.max(i, j)] as Obj), account_name: (producers[Math.min(i, j)] as Obj).account_name };
      return { what: "two block producers share a key", config, path: `block_producers[${Math.max(i, j)}].account_name` };
    }
    default: {
      const sc = config.snark_coordinator as Obj | undefined;
      if (!sc) return missingAccount(rng, config);
      sc.account_name = rng.chance(0.5) ? "nobody" : producer.account_name;
      return { what: "snark coordinator without its own account", config, path: "snark_coordinator.account_name" };
    }
  }
};

const duplicateAccount: Mutation = (rng, config) => {
  const ledger = config.genesis_ledger as Obj[];
  const original = ledger[rng.int(0, ledger.length - 1)] as Obj;
  ledger.push({ account_name: original.account_name, balance: validAmount(rng) });
  return { what: "duplicate account name", config, path: `genesis_ledger[${ledger.length - 1}].account_name` };
};

const emptyOrNullElements: Mutation = (rng, config) => {
  const list = rng.pick(["genesis_ledger", "block_producers"]);
  if (rng.chance(0.3)) {
    config[list] = [];
    return { what: `${list} empty`, config, path: list };
  }
  const items = config[list] as unknown[];
  const i = rng.int(0, items.length - 1);
  const value = rng.pick([null, undefined, "bp0", 5, [], true]);
  if (value === undefined && rng.chance(0.5))
    delete items[i]; // a hole
  else items[i] = value;
  return { what: `${list}[${i}] = ${String(value)}`, config, path: `${list}[${i}]` };
};

const notAnObject: Mutation = (rng) => {
  const value = rng.pick<unknown>([null, undefined, [], "genesis_ledger", 42, true, [validConfig(rng)], 10n]);
  return { what: `whole config = ${describeValue(value)}`, config: value, path: "(top level)" };
};

/** A big but otherwise valid network with one broken part, somewhere in a long array. */
const hugeArrays: Mutation = (rng, config) => {
  const ledger = config.genesis_ledger as Obj[];
  const producers = config.block_producers as Obj[];
  const extra = rng.int(500, 4000);
  for (let i = 0; i < extra; i++) {
    ledger.push({ account_name: `many-${i}`, balance: "1" });
    producers.push({ node_name: `many${i}`, account_name: `many-${i}` });
  }
  return rng.pick([duplicateAccount, duplicateNodeName, badAmount, badNodeName, missingAccount, wrongType])(rng, config);
};

const MUTATIONS: [Mutation, number][] = [
  [unknownKey, 14],
  [wrongType, 22],
  [intOutOfRange, 12],
  [kAgainstSlots, 4],
  [slotsNotMultiple, 4],
  [badAmount, 10],
  [badNodeName, 8],
  [duplicateNodeName, 8],
  [missingAccount, 8],
  [duplicateAccount, 4],
  [emptyOrNullElements, 4],
  [notAnObject, 2],
  [hugeArrays, 0.3],
];
const TOTAL_WEIGHT = MUTATIONS.reduce((sum, [, w]) => sum + w, 0);

function pickMutation(rng: Rng): Mutation {
  let roll = rng.next() * TOTAL_WEIGHT;
  for (const [mutation, weight] of MUTATIONS) {
    roll -= weight;
    if (roll < 0) return mutation;
  }
  return wrongType;
}

function describeValue(value: unknown): string {
  if (value === REMOVE) return "(removed)";
  if (typeof value === "bigint") return `${value}n`;
  if (value instanceof Date) return "Date";
  try {
    return (JSON.stringify(value) ?? String(value)).slice(0, 40);
  } catch {
    return typeof value;
  }
}

function badCases(count: number): BadCase[] {
  const rng = new Rng(SEED);
  const cases: BadCase[] = [];
  for (let i = 0; i < count; i++) {
    // one fault per config, so the field it names is known (a second fault could hide the first)
    const mutation = pickMutation(rng);
    cases.push({ ...mutation(rng, validConfig(rng)), kind: mutation.name });
  }
  return cases;
}

/** Harmless variations of valid configs: key order, null prototypes, frozen objects, edge values. */
function validCases(count: number): { what: string; config: unknown }[] {
  const rng = new Rng(SEED ^ 0xffff);
  const cases: { what: string; config: unknown }[] = [];
  for (let i = 0; i < count; i++) {
    const config = validConfig(rng);
    const variant = rng.int(0, 4);
    if (variant === 0) {
      const shuffled: Obj = {};
      for (const key of Object.keys(config).sort(() => rng.next() - 0.5)) shuffled[key] = config[key];
      cases.push({ what: "keys in another order", config: shuffled });
    } else if (variant === 1) {
      const bare = Object.assign(Object.create(null) as Obj, config);
      bare.block_producers = (config.block_producers as Obj[]).map((p) => Object.assign(Object.create(null) as Obj, p));
      cases.push({ what: "objects without a prototype", config: bare });
    } else if (variant === 2) {
      cases.push({ what: "frozen", config: deepFreeze(config) });
    } else if (variant === 3) {
      Object.assign(config, { slots_per_sub_window: 7, slots_per_epoch: 7140, k: 290, delta: 20, num_archive_nodes: 4, txpool_max_size: 100_000 });
      if (config.snark_coordinator) (config.snark_coordinator as Obj).worker_nodes = 16;
      (config.genesis_ledger as Obj[]).forEach((a) => (a.balance = rng.pick(["0", "0.000000001", "1000000000.999999999"])));
      cases.push({ what: "every value at the edge of its range", config });
    } else {
      cases.push({ what: "through JSON, as a config file", config: JSON.parse(JSON.stringify(config)) as unknown });
    }
  }
  return cases;
}

function deepFreeze<T>(value: T): T {
  if (value && typeof value === "object") {
    for (const inner of Object.values(value)) deepFreeze(inner);
    Object.freeze(value);
  }
  return value;
}

// ---------------------------------------------------------------- the properties

const FIELD_PATH = /^[a-z_]+(\[\d+\]|\.[a-z_0-9]+)*$/;
const PREFIX = "test config: ";

interface Outcome {
  threw?: unknown;
  accepted?: boolean;
  lines: string[];
  error?: unknown;
}

function attempt(config: unknown): Outcome {
  try {
    const result = parseTestConfig(config);
    if (result.ok) return { accepted: true, lines: [] };
    return { accepted: false, lines: result.error.message.split("\n"), error: result.error };
  } catch (threw) {
    return { threw, lines: [] };
  }
}

/** "test config: <path>: <message>" with a path naming a field (or the whole config). */
function malformedLine(line: string): boolean {
  if (!line.startsWith(PREFIX)) return true;
  const rest = line.slice(PREFIX.length);
  const colon = rest.indexOf(": ");
  if (colon <= 0) return true;
  const path = rest.slice(0, colon);
  return !(path === "(top level)" || FIELD_PATH.test(path)) || rest.slice(colon + 2).trim() === "";
}

function namesField(lines: string[], bad: BadCase): boolean {
  return lines.some((line) => {
    if (!line.startsWith(`${PREFIX}${bad.path}`)) return false;
    if (bad.mentions === undefined) return true;
    return line.includes(JSON.stringify(bad.mentions)) || line.includes(bad.mentions);
  });
}

function summary(failures: { what: string; detail: string }[]): string {
  return `${failures.length} case(s) failed, e.g.:\n${failures
    .slice(0, 8)
    .map((f) => `  - ${f.what}: ${f.detail}`)
    .join("\n")}`;
}

describe("parseTestConfig under fuzzing", () => {
  const cases = badCases(BAD_CASES);
  const outcomes = cases.map((c) => attempt(c.config));

  it(`never throws and rejects each of ${BAD_CASES} generated bad configs as invalid-config`, () => {
    const failures: { what: string; detail: string }[] = [];
    outcomes.forEach((outcome, i) => {
      const what = (cases[i] as BadCase).what;
      if (outcome.threw !== undefined) failures.push({ what, detail: `threw ${String(outcome.threw)}` });
      else if (outcome.accepted) failures.push({ what, detail: "accepted" });
      else if (!(outcome.error instanceof MinaLocalError) || outcome.error.kind !== "invalid-config" || !outcome.error.hint) {
        failures.push({ what, detail: `error is not an invalid-config MinaLocalError with a hint: ${String(outcome.error)}` });
      }
    });
    expect(failures.length, summary(failures)).toBe(0);
    // the generator really exercises every kind of fault
    expect(new Set(cases.map((c) => c.kind))).toEqual(new Set(MUTATIONS.map(([m]) => m.name)));
  });

  it("writes every error line as `test config: <field path>: <message>`", () => {
    const failures: { what: string; detail: string }[] = [];
    outcomes.forEach((outcome, i) => {
      const bad = outcome.lines.find(malformedLine);
      if (bad !== undefined) failures.push({ what: (cases[i] as BadCase).what, detail: JSON.stringify(bad.slice(0, 160)) });
    });
    expect(failures.length, summary(failures)).toBe(0);
    expect(outcomes.reduce((n, o) => n + o.lines.length, 0)).toBeGreaterThanOrEqual(BAD_CASES);
  });

  it("names the field that was broken", () => {
    const failures: { what: string; detail: string }[] = [];
    outcomes.forEach((outcome, i) => {
      const bad = cases[i] as BadCase;
      if (outcome.accepted === false && !namesField(outcome.lines, bad)) {
        failures.push({
          what: bad.what,
          detail: `no line for ${bad.path}${bad.mentions === undefined ? "" : ` naming ${JSON.stringify(bad.mentions)}`} in ${JSON.stringify(outcome.lines.slice(0, 3))}`,
        });
      }
    });
    expect(failures.length, summary(failures)).toBe(0);
  });

  it("lets no __proto__ key pollute Object.prototype", () => {
    expect(Object.getOwnPropertyNames(Object.prototype).sort()).toEqual(Object.getOwnPropertyNames(Object.getPrototypeOf({}) as object).sort());
    const probe = {} as Record<string, unknown>;
    for (const key of ["a", "k", "surprise", "polluted", "x1"]) expect(probe[key]).toBeUndefined();
    expect(cases.some((c) => c.mentions === "__proto__")).toBe(true);
  });

  it(`keeps ${VALID_CASES} harmless variations of valid configs valid`, () => {
    const failures: { what: string; detail: string }[] = [];
    for (const { what, config } of validCases(VALID_CASES)) {
      const outcome = attempt(config);
      if (!outcome.accepted) failures.push({ what, detail: outcome.threw !== undefined ? `threw ${String(outcome.threw)}` : outcome.lines.slice(0, 3).join(" | ") });
    }
    expect(failures.length, summary(failures)).toBe(0);
  });
});

describe("parseTestConfig on inputs the fuzzer leaves to these tests", () => {
  const base = (): Obj => ({
    genesis_ledger: [
      { account_name: "bp1-key", balance: "1000" },
      { account_name: "snark-key", balance: "10" },
    ],
    block_producers: [{ node_name: "bp1", account_name: "bp1-key" }],
  });

  it("keeps one error per line when a key or an account name holds a newline or control character", () => {
    const inputs: unknown[] = [
      { ...base(), "a\nb": 1 },
      { ...base(), "x\r\ntest config: k: forged": 1 },
      { ...base(), "\u0000\u001b[31m": 1 },
      {
        genesis_ledger: [
          { account_name: "x\ny", balance: "1" },
          { account_name: "x\ny", balance: "1" },
        ],
        block_producers: [{ node_name: "bp1", account_name: "x\ny" }],
      },
      { ...base(), block_producers: [{ node_name: "bp1", account_name: "no\nsuch" }] },
    ];
    for (const input of inputs) {
      const outcome = attempt(input);
      expect(outcome.accepted, JSON.stringify(input)).toBe(false);
      for (const line of outcome.lines) expect(malformedLine(line), `line ${JSON.stringify(line)} of the errors for ${JSON.stringify(input)}`).toBe(false);
    }
  });

  it("refuses balances above what Mina's uint64 nanomina balance can hold", () => {
    for (const balance of ["18446744073.709551616", "18446744074", "999999999999", "999999999999.999999999"]) {
      const outcome = attempt({ ...base(), genesis_ledger: [{ account_name: "bp1-key", balance }] });
      expect(outcome.accepted, `balance ${balance} MINA (more than 18446744073.709551615) was accepted`).toBe(false);
      expect(outcome.lines.some((l) => l.startsWith(`${PREFIX}genesis_ledger[0].balance: `))).toBe(true);
    }
    expect(attempt({ ...base(), genesis_ledger: [{ account_name: "bp1-key", balance: "18446744073.709551615" }] }).accepted).toBe(true);
  });

  it("refuses a snark coordinator whose workers' names would not be valid node names", () => {
    const coordinator = `c${"o".repeat(38)}r`;
    expect(NODE_NAME_PATTERN.test(coordinator)).toBe(true);
    expect(NODE_NAME_PATTERN.test(snarkWorkerName(coordinator, 0))).toBe(false);
    const outcome = attempt({ ...base(), snark_coordinator: { node_name: coordinator, account_name: "snark-key", worker_nodes: 1 } });
    expect(outcome.accepted, `worker ${snarkWorkerName(coordinator, 0)} (${snarkWorkerName(coordinator, 0).length} chars) was accepted`).toBe(false);
    expect(outcome.lines.some((l) => l.startsWith(`${PREFIX}snark_coordinator.`))).toBe(true);
  });

  it("answers a huge snark worker count with an error instead of exhausting memory", () => {
    // in a child with a small heap, so a runaway loop fails this test instead of killing the test worker
    const module = new URL("./test-config.ts", import.meta.url).href;
    const script = [
      `const { parseTestConfig } = await import(${JSON.stringify(module)});`,
      `const config = ${JSON.stringify({ ...base(), snark_coordinator: { node_name: "snark", account_name: "snark-key", worker_nodes: 1e15 } })};`,
      "const result = parseTestConfig(config);",
      "process.stdout.write(JSON.stringify({ ok: result.ok, message: result.ok ? '' : result.error.message }));",
    ].join("\n");
    const child = spawnSync(process.execPath, ["--max-old-space-size=128", "--import", "tsx", "--input-type=module", "-e", script], {
      cwd: fileURLToPath(new URL("..", import.meta.url)),
      encoding: "utf8",
      timeout: 60_000,
    });
    expect(child.status, `parseTestConfig did not come back (signal ${String(child.signal)}): ${child.stderr.slice(-600)}`).toBe(0);
    const answer = JSON.parse(child.stdout) as { ok: boolean; message: string };
    expect(answer.ok).toBe(false);
    expect(answer.message).toMatch(/^test config: snark_coordinator\.worker_nodes: /m);
  }, 90_000);

  it("answers a 100,000-entry block producer list with bad entries without throwing", () => {
    const producers = Array.from({ length: 100_000 }, (_, i) => ({ node_name: `bp${i % 50_000}`, account_name: "bp1-key" }));
    const outcome = attempt({ ...base(), block_producers: producers });
    expect(outcome.threw).toBeUndefined();
    expect(outcome.accepted).toBe(false);
    expect(outcome.lines.some((l) => l.startsWith(`${PREFIX}block_producers[50000].node_name: duplicate node name "bp0"`))).toBe(true);
  }, 30_000);
});
