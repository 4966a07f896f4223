import { spawn, type ChildProcess } from "node:child_process";
import { withTimeout } from "@mina-local/engine";

interface Reply {
  id: number;
  ok: boolean;
  error?: string;
  [key: string]: unknown;
}

/** A child process answering `{id, op}` requests over IPC with `{id, ok, ...}`. */
export class IpcChild {
  readonly child: ChildProcess;
  private nextId = 1;
  private readonly waiting = new Map<number, (reply: Reply) => void>();
  private exited = false;
  readonly ready: Promise<Reply>;

  constructor(command: string, args: string[], env: NodeJS.ProcessEnv, cwd: string) {
    this.child = spawn(command, args, { stdio: ["ignore", "inherit", "inherit", "ipc"], env, cwd });
    this.ready = new Promise((resolve, reject) => {
      this.waiting.set(0, resolve);
      this.child.once("exit", (code, signal) => {
        this.exited = true;
        const failure = new Error(`the pipeline host exited (code ${code}, signal ${signal})`);
        reject(failure);
        for (const wake of this.waiting.values()) wake({ id: -1, ok: false, error: failure.message });
        this.waiting.clear();
      });
    });
    this.ready.catch(() => undefined);
    this.child.on("message", (message) => {
      const reply = message as Reply;
      const wake = this.waiting.get(reply.id);
      this.waiting.delete(reply.id);
      wake?.(reply);
    });
  }

  get pid(): number | undefined {
    return this.child.pid;
  }

  async request(op: string, timeoutMs = 60_000): Promise<Reply> {
    if (this.exited) throw new Error(`the pipeline host is gone; cannot ${op}`);
    const id = this.nextId++;
    const reply = await withTimeout(
      `asking the pipeline host to ${op}`,
      timeoutMs,
      new Promise<Reply>((resolve) => {
        this.waiting.set(id, resolve);
        this.child.send({ id, op });
      }),
    );
    if (!reply.ok) throw new Error(`pipeline host ${op}: ${reply.error ?? "failed"}`);
    return reply;
  }

  /** resolves when the child has exited */
  exit(): Promise<void> {
    if (this.exited || this.child.exitCode !== null) return Promise.resolve();
    return new Promise((resolve) => this.child.once("exit", () => resolve()));
  }
}
