import { rmSync } from "node:fs";
import { SwarmManager } from "@mina-local/swarm-manager";

/**
 * Everything the bench started, so that it is gone after a normal end, a failure and
 * SIGINT alike: stacks (removed by their run label), processes (by pid), nats servers,
 * temporary directories. Undo steps run newest first.
 */
export class BenchCleanup {
  private readonly steps = new Map<number, { what: string; undo: () => Promise<void> }>();
  private next = 0;

  /** registers an undo step; the returned function runs it now and forgets it */
  add(what: string, undo: () => Promise<void>): () => Promise<void> {
    const key = this.next++;
    this.steps.set(key, { what, undo });
    return async () => {
      if (!this.steps.delete(key)) return;
      await undo();
    };
  }

  stack(runId: string): () => Promise<void> {
    return this.add(`removing stack ${runId}`, async () => {
      const swarm = await SwarmManager.connect();
      await swarm.removeStack(runId, { timeoutMs: 60_000 });
    });
  }

  process(what: string, pid: number | undefined): () => Promise<void> {
    return this.add(`stopping ${what}`, async () => {
      if (pid === undefined) return;
      try {
        process.kill(pid, "SIGKILL");
      } catch {
        // already gone
      }
    });
  }

  directory(path: string): () => Promise<void> {
    return this.add(`removing ${path}`, async () => rmSync(path, { recursive: true, force: true }));
  }

  get pending(): number {
    return this.steps.size;
  }

  /** runs every remaining step, newest first; returns the failures */
  async runAll(): Promise<string[]> {
    const failures: string[] = [];
    for (const key of [...this.steps.keys()].reverse()) {
      const step = this.steps.get(key);
      this.steps.delete(key);
      if (!step) continue;
      try {
        await step.undo();
      } catch (error) {
        failures.push(`${step.what}: ${error instanceof Error ? error.message : String(error)}`);
      }
    }
    return failures;
  }
}
