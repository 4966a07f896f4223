import { spawn } from "node:child_process";
import type { ChildProcess } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { forwarderLine } from "./mina-line.js";
import type { LinePipeline } from "./pipeline.js";
import type { PreparationFailure } from "./prepare.js";
import type { FifoSink } from "./sink.js";

export interface SupervisorOptions {
  node: string;
  command: string;
  args: string[];
  stateDir: string;
  /** a node stop's SIGTERM-to-SIGKILL time */
  stopGraceMs: number;
  /** the same at container shutdown (teardown), when the daemon's state no longer matters; default stopGraceMs */
  shutdownGraceMs?: number;
  /** Mina's container preparation (prepare.ts); a fresh start imports the keys again */
  preparation?: { run(): Promise<PreparationFailure | undefined>; importKeys(): Promise<PreparationFailure | undefined> };
  pipeline: LinePipeline;
  sink: FifoSink;
  /** how long to wait for the daemon's output to close after it exited (its children may hold it) */
  outputCloseMs?: number;
}

export interface DaemonStatus {
  node: string;
  running: boolean;
  pid: number | null;
  starts: number;
  /** Mina's container preparation: none asked, still running, done, or failed (then setup_error says how) */
  preparation: "none" | "running" | "done" | "failed";
  setup_error?: PreparationFailure;
}

/** Empties a directory without removing it (it may be a bind mount). */
export function emptyDirectory(dir: string): void {
  fs.mkdirSync(dir, { recursive: true });
  for (const entry of fs.readdirSync(dir)) fs.rmSync(path.join(dir, entry), { recursive: true, force: true });
}

/**
 * Runs the daemon, restarts it on request, and turns its life into lines: node_started,
 * node_stopped (asked for), node_crashed (not asked for). The daemon runs in its own
 * process group so that stopping it also stops the helpers it spawned.
 */
export class DaemonSupervisor {
  private child: ChildProcess | null = null;
  private exited: Promise<void> | null = null;
  private stopping = false;
  private starts = 0;
  private preparation: DaemonStatus["preparation"] = "none";
  private setupError: PreparationFailure | undefined;
  /** serialises start/stop requests that come from signals and the socket at once */
  private queue: Promise<unknown> = Promise.resolve();

  constructor(private readonly options: SupervisorOptions) {}

  status(): DaemonStatus {
    return {
      node: this.options.node,
      running: this.child !== null,
      pid: this.child?.pid ?? null,
      starts: this.starts,
      preparation: this.preparation,
      ...(this.setupError && { setup_error: this.setupError }),
    };
  }

  /** Runs the container preparation once, before any start; a failure keeps the daemon from ever starting. */
  prepare(): Promise<DaemonStatus> {
    return this.serial(async () => {
      const preparation = this.options.preparation;
      if (!preparation || this.preparation !== "none") return this.status();
      this.preparation = "running";
      this.setupError = await preparation.run();
      this.preparation = this.setupError ? "failed" : "done";
      return this.status();
    });
  }

  start(fresh = false): Promise<DaemonStatus> {
    return this.serial(async () => {
      if (this.setupError) throw new Error(`node ${this.options.node}: the container preparation failed, so the daemon cannot start: ${this.setupError.message}`);
      if (this.child) {
        if (fresh) throw new Error(`node ${this.options.node}: the daemon is running; stop it before asking for a fresh state`);
        return this.status();
      }
      if (fresh) {
        emptyDirectory(this.options.stateDir);
        // the imported wallets lived in the emptied directory: import the keys again, as a fresh container would
        const failure = await this.options.preparation?.importKeys();
        if (failure) throw new Error(`node ${this.options.node}: importing the keys again after emptying ${this.options.stateDir} failed: ${failure.message}`);
      }
      this.spawnDaemon(fresh);
      return this.status();
    });
  }

  /** A node stop: SIGTERM, SIGKILL only after stopGraceMs (reported). */
  stop(): Promise<DaemonStatus> {
    return this.serial(async () => {
      await this.stopNow(this.options.stopGraceMs);
      return this.status();
    });
  }

  /** The container is going away: the daemon gets shutdownGraceMs. */
  shutdown(): Promise<DaemonStatus> {
    return this.serial(async () => {
      await this.stopNow(this.options.shutdownGraceMs ?? this.options.stopGraceMs);
      return this.status();
    });
  }

  private serial<T>(work: () => Promise<T>): Promise<T> {
    const next = this.queue.then(work, work);
    this.queue = next.catch(() => undefined);
    return next;
  }

  private spawnDaemon(fresh: boolean): void {
    const { pipeline, sink } = this.options;
    const child = spawn(this.options.command, this.options.args, { stdio: ["ignore", "pipe", "pipe"], detached: true });
    this.child = child;
    this.starts++;
    let spawnError: Error | null = null;
    child.on("error", (error) => {
      spawnError = error;
    });
    const outputs = [child.stdout, child.stderr].map((stream) => {
      const source = pipeline.source();
      return new Promise<void>((resolve) => {
        stream.on("data", (chunk: Buffer) => {
          if (!source.push(chunk)) {
            // the FIFO is full: hold the daemon's output back until it drains (backpressure, no loss)
            stream.pause();
            void sink.waitForRoom().then(() => stream.resume());
          }
        });
        stream.on("close", () => {
          source.end();
          resolve();
        });
      });
    });
    if (child.pid !== undefined) {
      pipeline.writeOwnLine(forwarderLine("node_started", "daemon started", { node: this.options.node, pid: child.pid, fresh_state: fresh }));
    }
    this.exited = new Promise<void>((resolve) => {
      child.once("exit", (code, signal) => {
        // helpers left behind by a crash would hold the output open: stop them
        if (child.pid !== undefined) killGroup(child.pid, "SIGKILL");
        void Promise.race([Promise.all(outputs), delay(this.options.outputCloseMs ?? 2000)]).then(() => {
          const asked = this.stopping;
          const metadata = { node: this.options.node, pid: child.pid ?? null, exit_code: code, signal };
          const killedAfter = this.killedAfterMs;
          this.killedAfterMs = undefined;
          if (asked && killedAfter !== undefined) {
            pipeline.writeOwnLine(
              forwarderLine(
                "node_stopped",
                "daemon did not stop within $killed_after_ms ms of SIGTERM: killed with SIGKILL (its persisted state may be lost)",
                { ...metadata, killed_after_ms: killedAfter },
                "Warn",
              ),
            );
          } else if (asked) pipeline.writeOwnLine(forwarderLine("node_stopped", "daemon stopped", metadata));
          else pipeline.writeOwnLine(forwarderLine("node_crashed", `daemon exited on its own (${signal ?? `exit code ${code}`})`, metadata, "Error"));
          this.child = null;
          resolve();
        });
      });
      child.once("error", () => {
        if (child.pid !== undefined) return; // 'exit' follows
        const message = `daemon could not be started: ${spawnError?.message ?? "unknown error"}`;
        pipeline.writeOwnLine(forwarderLine("node_crashed", message, { node: this.options.node, pid: null, exit_code: null, signal: null }, "Error"));
        this.child = null;
        resolve();
      });
    });
  }

  private killedAfterMs: number | undefined;

  private async stopNow(graceMs: number): Promise<void> {
    const child = this.child;
    if (!child || !this.exited) return;
    this.stopping = true;
    try {
      if (child.pid !== undefined) killGroup(child.pid, "SIGTERM");
      const grace = setTimeout(() => {
        this.killedAfterMs = graceMs;
        if (child.pid !== undefined) killGroup(child.pid, "SIGKILL");
      }, graceMs);
      await this.exited;
      clearTimeout(grace);
    } finally {
      this.stopping = false;
    }
  }
}

function killGroup(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pid, signal);
  } catch {
    try {
      process.kill(pid, signal);
    } catch {
      // already gone
    }
  }
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms).unref());
}
