import { mkdir, readFile, rename, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { FrontierSnapshotSchema, type FrontierSnapshot } from "./frontier.js";

/** The frontier is kept in the daemon's -config-directory, like Mina's persistent frontier. */
export const FRONTIER_FILE = "mina-local-frontier.json";

export type PersistedFrontier = { status: "absent" } | { status: "found"; snapshot: FrontierSnapshot } | { status: "invalid"; error: string };

export async function loadPersistedFrontier(configDirectory: string): Promise<PersistedFrontier> {
  const path = join(configDirectory, FRONTIER_FILE);
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return { status: "absent" };
    return { status: "invalid", error: `${path}: ${(error as Error).message}` };
  }
  try {
    const parsed = FrontierSnapshotSchema.safeParse(JSON.parse(text));
    if (!parsed.success) return { status: "invalid", error: `${path}: ${parsed.error.issues[0]?.message ?? "not a frontier snapshot"}` };
    return { status: "found", snapshot: parsed.data };
  } catch (error) {
    return { status: "invalid", error: `${path}: ${(error as Error).message}` };
  }
}

/** Written to a temporary file then renamed, so a crash never leaves half a frontier behind. */
export async function persistFrontier(configDirectory: string, snapshot: FrontierSnapshot): Promise<void> {
  await mkdir(configDirectory, { recursive: true });
  const path = join(configDirectory, FRONTIER_FILE);
  const temporary = `${path}.${process.pid}.tmp`;
  await writeFile(temporary, JSON.stringify(snapshot));
  await rename(temporary, path);
}

export async function clearPersistedFrontier(configDirectory: string): Promise<void> {
  await rm(join(configDirectory, FRONTIER_FILE), { force: true });
}
