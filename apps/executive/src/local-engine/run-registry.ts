import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { homedir } from "node:os";
import { join } from "node:path";
import { z } from "zod";

/**
 * Every live run on this machine, whatever its output directory: one file per run in a
 * per-user state directory, so that `test_executive cleanup` and every new run can find the
 * run directories of dead runs anywhere (their FIFO, sockets and nats-server). Written when a
 * run starts deploying, removed once its teardown left nothing behind.
 */
export function registryDir(): string {
  return process.env.MINA_LOCAL_RUN_REGISTRY ?? join(process.env.XDG_STATE_HOME ?? join(homedir(), ".local", "state"), "mina-local", "runs");
}

const EntrySchema = z.object({ runId: z.string().min(1), runDir: z.string().min(1) });

export function registerRun(runId: string, runDir: string, dir = registryDir()): void {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  writeFileSync(join(dir, `${runId}.json`), `${JSON.stringify({ runId, runDir })}\n`, { mode: 0o600 });
}

export function unregisterRun(runId: string, dir = registryDir()): void {
  rmSync(join(dir, `${runId}.json`), { force: true });
}

/** The registered run directories; entries whose directory is gone are dropped. */
export function registeredRunDirs(dir = registryDir()): { runId: string; runDir: string }[] {
  if (!existsSync(dir)) return [];
  const runs: { runId: string; runDir: string }[] = [];
  for (const file of readdirSync(dir).filter((f) => f.endsWith(".json"))) {
    let entry;
    try {
      entry = EntrySchema.safeParse(JSON.parse(readFileSync(join(dir, file), "utf8")));
    } catch {
      entry = undefined;
    }
    if (!entry?.success || !existsSync(entry.data.runDir)) {
      rmSync(join(dir, file), { force: true });
      continue;
    }
    runs.push(entry.data);
  }
  return runs;
}
