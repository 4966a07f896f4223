import { z } from "zod";
import { MinaLocalError } from "./errors.js";
import { EVENT_ID_TABLES, eventIdTable, newestEventIdTable } from "./event-id-tables.js";
import { MINA_EVENT_TYPES, minaEventId, type EventIdTable, type GossipDirection, type MinaEventType, type StructuredEventRow } from "./event-ids.js";
import { LOG_LEVELS, type LogLevel } from "./events.js";

/**
 * Mina releases whose commit we know, and the table each one's daemon registers. The commit
 * is what `mina version` prints (`Commit <sha> on branch <branch>`, src/lib/mina_version/normal/gen.sh;
 * `[DIRTY]` in front when the tree was dirty). Tags and commits from github.com/MinaProtocol/mina
 * (mirror adonagy/mina); every row of the table was checked to be declared at each tag.
 */
export const KNOWN_MINA_RELEASES: readonly { tag: string; commit: string; table: string }[] = [
  { tag: "1.3.0", commit: "9b0369c27bb85c8ab2f8725c6e977eb27b53b826", table: "mainnet-1.3" },
  { tag: "1.3.1", commit: "3e3abecd4fd197017321d61a65a25f0bbdc40f3a", table: "mainnet-1.3" },
  { tag: "1.3.1.1", commit: "f361ba19d78ba930b5b551f58d1a82942c0f724b", table: "mainnet-1.3" },
  { tag: "1.3.1.2", commit: "25388a0fed9695e8e9d04f75f50c2bae1c9c80db", table: "mainnet-1.3" },
  { tag: "develop-2023-09-12", commit: "9f068b1c3bdb328184c0c9af22a8a941d181304b", table: "berkeley-2023-09" },
];

/** Shortest commit prefix we accept as naming a release (Mina's image tags carry 7 hex digits). */
const MIN_COMMIT_PREFIX = 7;

export interface EventIdTableEvidence {
  /** stdout of `mina version` in the image (undefined: could not run) */
  versionOutput?: string;
  /** stdout of `mina internal dump-structured-events` (undefined: none) */
  dumpStructuredEvents?: string;
  imageName?: string;
}

/** Pure: which table fits an image, and why (the run report prints `reason`). */
export function pickEventIdTable(evidence: EventIdTableEvidence): { table: EventIdTable; reason: string } {
  const notes: string[] = [];
  const image = evidence.imageName ?? "the image";
  if (evidence.dumpStructuredEvents !== undefined && evidence.dumpStructuredEvents.trim() !== "") {
    try {
      const table = parseDumpStructuredEvents(evidence.dumpStructuredEvents, `dump:${evidence.imageName ?? "image"}`, `mina internal dump-structured-events in ${image}`);
      return { table, reason: `${image} lists its ${table.rows.length} structured events (mina internal dump-structured-events); ${closestTableNote(table)}` };
    } catch (error) {
      notes.push(`its dump-structured-events output was not readable (${error instanceof Error ? error.message : String(error)})`);
    }
  }
  if (evidence.versionOutput !== undefined) {
    const version = parseMinaVersion(evidence.versionOutput);
    if (version === undefined) {
      notes.push(`its version output is not Mina's "Commit <sha> on branch <branch>" (${JSON.stringify(firstLine(evidence.versionOutput))})`);
    } else {
      const release = releaseOfCommit(version.commit);
      if (release !== undefined) {
        return { table: eventIdTable(release.table), reason: `${image} is Mina ${release.tag} (commit ${version.commit.slice(0, 10)} on branch ${version.branch}): table ${release.table}` };
      }
      notes.push(`its commit ${version.commit.slice(0, 10)} (branch ${version.branch}) is not a release we know`);
    }
  } else {
    notes.push("its version could not be read");
  }
  const fromName = evidence.imageName === undefined ? undefined : releaseOfImageName(evidence.imageName);
  if (fromName !== undefined) {
    return { table: eventIdTable(fromName.table), reason: `${image}: ${notes.join("; ")}; its name names Mina ${fromName.tag}: table ${fromName.table}` };
  }
  const newest = newestEventIdTable();
  return {
    table: newest,
    reason: `${image}: ${notes.join("; ")}; using the newest built-in table ${newest.name} (pass --event-ids <file> with the output of \`mina internal dump-structured-events\` to use the image's own ids)`,
  };
}

/** Which built-in table a dump's ids are closest to, in words. */
function closestTableNote(table: EventIdTable): string {
  const ids = new Set(table.rows.map((r) => r.id));
  const scored = EVENT_ID_TABLES.map((t) => ({ t, shared: t.rows.filter((r) => ids.has(r.id)).length })).sort((a, b) => b.shared - a.shared);
  const best = scored[0];
  if (best === undefined || best.shared === 0) return "none of its ids is in a built-in table";
  const same = best.shared === table.rows.length && best.shared === best.t.rows.length;
  return same ? `the same ids as ${best.t.name}` : `${best.shared} of its ids are in ${best.t.name}, the closest built-in table`;
}

/** `Commit <sha> on branch <branch>` (src/lib/mina_version), anywhere in the output. */
export function parseMinaVersion(output: string): { commit: string; branch: string; dirty: boolean } | undefined {
  const match = /Commit (\[DIRTY\])?([0-9a-f]{7,40}) on branch (\S+)/.exec(output);
  if (match === null) return undefined;
  return { dirty: match[1] !== undefined, commit: match[2] ?? "", branch: match[3] ?? "" };
}

function releaseOfCommit(commit: string) {
  if (commit.length < MIN_COMMIT_PREFIX) return undefined;
  return KNOWN_MINA_RELEASES.find((r) => r.commit.startsWith(commit) || commit.startsWith(r.commit));
}

/** Mina's images are tagged `<version>-<short commit>-<distro>[-<network>]`, e.g. `1.3.1.2-25388a0-bullseye-mainnet`. */
function releaseOfImageName(image: string) {
  const tag = image.slice(image.lastIndexOf(":") + 1);
  for (const part of tag.split("-")) {
    if (/^[0-9a-f]{7,40}$/.test(part)) {
      const release = releaseOfCommit(part);
      if (release !== undefined) return release;
    }
  }
  return KNOWN_MINA_RELEASES.find((r) => tag === r.tag || tag.startsWith(`${r.tag}-`));
}

function firstLine(text: string): string {
  return (text.split("\n").find((l) => l.trim() !== "") ?? "").slice(0, 80);
}

/** What each constructor of Mina's event_type.ml feeds (it names the constructors, not the files). */
const FEEDS_BY_CONSTRUCTOR: Readonly<Record<string, { type: MinaEventType; direction?: GossipDirection }>> = {
  Starting_transition_frontier_controller: { type: "Node_initialization" },
  Applying_diffs: { type: "Transition_frontier_diff_application" },
  Block_produced: { type: "Block_produced" },
  Added_breadcrumb_user_commands: { type: "Breadcrumb_added" },
  Block_received: { type: "Block_gossip", direction: "Received" },
  Gossip_new_state: { type: "Block_gossip", direction: "Sent" },
  Snark_work_received: { type: "Snark_work_gossip", direction: "Received" },
  Gossip_snark_pool_diff: { type: "Snark_work_gossip", direction: "Sent" },
  Transactions_received: { type: "Transactions_gossip", direction: "Received" },
  Gossip_transaction_pool_diff: { type: "Transactions_gossip", direction: "Sent" },
  Generating_snark_work_failed: { type: "Snark_work_failed" },
  Transition_frontier_loaded_from_persistence: { type: "Transition_frontier_loaded_from_persistence" },
  Persisted_frontier_loaded: { type: "Persisted_frontier_loaded" },
  Persisted_frontier_fresh_boot: { type: "Persisted_frontier_fresh_boot" },
  Persisted_frontier_dropped: { type: "Persisted_frontier_dropped" },
  Bootstrap_required: { type: "Bootstrap_required" },
};

/**
 * The built-in row a listed event most likely is: the same id in the closest table (the one sharing
 * most ids with the list), then in any table, then the same constructor in the closest table. A
 * dump names no message or level; the row of the same release has them.
 */
function knownRowFinder(ids: ReadonlySet<string>): (constructor: string, id: string) => StructuredEventRow | undefined {
  const overlap = (t: EventIdTable) => t.rows.filter((r) => ids.has(r.id)).length;
  // newest first, so a tie goes to the newest table
  const byCloseness = [...EVENT_ID_TABLES].reverse().sort((a, b) => overlap(b) - overlap(a));
  return (constructor, id) => {
    for (const table of byCloseness) {
      const same = table.rows.find((r) => r.id === id);
      if (same) return same;
    }
    return byCloseness[0]?.rows.find((r) => r.constructor === constructor);
  };
}

function rowOf(
  known: StructuredEventRow | undefined,
  declaredIn: string,
  constructor: string,
  id: string,
  given: { message?: string; level?: LogLevel; feeds?: StructuredEventRow["feeds"] | null },
): StructuredEventRow {
  const feeds = given.feeds === null ? undefined : (given.feeds ?? FEEDS_BY_CONSTRUCTOR[constructor]);
  return {
    constructor,
    declaredIn,
    id,
    message: given.message ?? known?.message ?? constructor,
    level: given.level ?? known?.level ?? "Info",
    ...(feeds && { feeds }),
  };
}

/** `src/lib/a/b.ml.Module.Ctor` -> declaredIn `src/lib/a/b.ml.Module`, constructor `Ctor`. */
function splitEventPath(path: string): { declaredIn: string; constructor: string } | undefined {
  const dot = path.lastIndexOf(".");
  if (dot <= 0 || dot === path.length - 1) return undefined;
  return { declaredIn: path.slice(0, dot), constructor: path.slice(dot + 1) };
}

const DumpSchema = z.array(z.tuple([z.string(), z.string(), z.array(z.string())]));

/**
 * The output of `mina internal dump-structured-events` (src/app/cli/src/cli_entrypoint/mina_cli_entrypoint.ml):
 * a JSON list of `[event_path, id, [argument names]]`, where event_path is `<declaredIn>.<constructor>`,
 * compact or `--pretty`. Lines before the list (a daemon may print warnings first) are skipped.
 * Message and level are not in the dump: they come from the built-in table declaring the constructor.
 */
export function parseDumpStructuredEvents(text: string, name: string, source: string): EventIdTable {
  const json = parseJsonList(text);
  if (json === undefined) throw new MinaLocalError("invalid-config", "expected the JSON list that `mina internal dump-structured-events` prints", { where: source });
  const parsed = DumpSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new MinaLocalError("invalid-config", `entry ${issue?.path.join(".") ?? "?"}: ${issue?.message ?? "invalid"}; expected [event_path, id, [argument names]]`, { where: source });
  }
  const rows = new Map<string, StructuredEventRow>();
  const known = knownRowFinder(new Set(parsed.data.map(([, id]) => id.toLowerCase())));
  for (const [index, [path, rawId]] of parsed.data.entries()) {
    const split = splitEventPath(path);
    if (split === undefined) throw new MinaLocalError("invalid-config", `entry ${index}: "${path}" is not <file>.<Constructor>`, { where: source });
    const id = rawId.toLowerCase();
    rows.set(id, rowOf(known(split.constructor, id), split.declaredIn, split.constructor, id, {}));
  }
  return { name, description: `the ${rows.size} structured events the daemon itself registers`, source, rows: [...rows.values()] };
}

function parseJsonList(text: string): unknown {
  const attempt = (s: string): unknown => {
    try {
      return JSON.parse(s);
    } catch {
      return undefined;
    }
  };
  const whole = attempt(text.trim());
  if (Array.isArray(whole)) return whole;
  const lines = text.split("\n");
  const start = lines.findIndex((l) => l.trimStart().startsWith("["));
  if (start < 0) return undefined;
  const rest = attempt(lines.slice(start).join("\n").trim());
  return Array.isArray(rest) ? rest : undefined;
}

const FeedsSchema = z.object({
  type: z.string(),
  direction: z.enum(["Received", "Sent"]).optional(),
});

const TableFileRowSchema = z.strictObject({
  constructor: z.string().min(1),
  declaredIn: z.string().min(1),
  id: z
    .string()
    .regex(/^[0-9a-f]{32}$/, "expected 32 lowercase hex digits")
    .optional(),
  message: z.string().optional(),
  level: z.enum(LOG_LEVELS).optional(),
  feeds: FeedsSchema.nullable().optional(),
});

const TableFileSchema = z.strictObject({
  name: z.string().optional(),
  description: z.string().optional(),
  source: z.string().optional(),
  rows: z.array(TableFileRowSchema).min(1),
});

/**
 * --event-ids <file>: the output of `mina internal dump-structured-events`, or our JSON table
 * (`{ name?, description?, source?, rows: [{ constructor, declaredIn, id?, message?, level?, feeds? }] }`,
 * documented in the event-parser README). Errors name the file, the row/field and what to do.
 */
export function parseEventIdTableFile(text: string, path: string): EventIdTable {
  const hint = "pass the output of `mina internal dump-structured-events` or a JSON table as described in packages/event-parser/README.md";
  const trimmed = text.trim();
  if (trimmed === "") throw new MinaLocalError("invalid-config", "the file is empty", { where: path, hint });
  if (!trimmed.startsWith("{")) {
    try {
      return parseDumpStructuredEvents(text, `file:${path}`, path);
    } catch (error) {
      if (error instanceof MinaLocalError) throw new MinaLocalError(error.kind, error.message.slice(path.length + 2), { where: path, hint });
      throw error;
    }
  }
  let json: unknown;
  try {
    json = JSON.parse(trimmed);
  } catch (error) {
    throw new MinaLocalError("invalid-config", `not valid JSON (${error instanceof Error ? error.message : String(error)})`, { where: path, hint });
  }
  const parsed = TableFileSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new MinaLocalError("invalid-config", `${issue?.path.join(".") || "(top level)"}: ${issue?.message ?? "invalid"}`, { where: path, hint });
  }
  const known = knownRowFinder(new Set(parsed.data.rows.map((row) => minaEventId(row.declaredIn, row.constructor))));
  const rows = parsed.data.rows.map((row, index) => {
    const id = minaEventId(row.declaredIn, row.constructor);
    if (row.id !== undefined && row.id !== id) {
      throw new MinaLocalError("invalid-config", `rows.${index}.id: ${row.id} is not Mina's id of ${row.declaredIn}.${row.constructor} (${id})`, {
        where: path,
        hint: "check declaredIn (file path from the repository root, then the enclosing modules) or leave id out to have it computed",
      });
    }
    let feeds: StructuredEventRow["feeds"] | null | undefined;
    if (row.feeds === null || row.feeds === undefined) feeds = row.feeds;
    else {
      const type = row.feeds.type;
      if (!isMinaEventType(type)) throw new MinaLocalError("invalid-config", `rows.${index}.feeds.type: "${type}" is not an event of Mina's event_type.ml`, { where: path, hint });
      feeds = { type, ...(row.feeds.direction && { direction: row.feeds.direction }) };
    }
    return rowOf(known(row.constructor, id), row.declaredIn, row.constructor, id, { ...(row.message !== undefined && { message: row.message }), ...(row.level && { level: row.level }), feeds });
  });
  return {
    name: `file:${path}`,
    description: parsed.data.description ?? parsed.data.name ?? `event ids from ${path}`,
    source: parsed.data.source ?? path,
    rows,
  };
}

function isMinaEventType(value: string): value is MinaEventType {
  return (MINA_EVENT_TYPES as readonly string[]).includes(value);
}
