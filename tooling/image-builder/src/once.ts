import { openSync, closeSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { MinaLocalError } from "@mina-local/engine";
import { buildScratchImage, dockerForImages, imageExists, type BuildScratchImageOptions } from "./build.js";

/**
 * Builds `options.tag` unless it exists, at most once at a time on this machine: runs
 * started together on a fresh checkout (or test files in parallel) would otherwise each
 * build it, and every build but the last would be left as an untagged 100 MB image.
 * The lock is a file in the temporary directory holding the builder's pid; a lock whose
 * process is gone is taken over. Returns whether this call built the image.
 */
export async function buildScratchImageOnce(options: BuildScratchImageOptions & { lockTimeoutMs?: number }): Promise<{ tag: string; built: boolean }> {
  const docker = await dockerForImages(options.docker);
  if (await imageExists(options.tag, docker)) return { tag: options.tag, built: false };
  const lock = join(tmpdir(), `mina-local-build-${options.tag.replace(/[^A-Za-z0-9_.-]/g, "_")}.lock`);
  await acquire(lock, options.tag, options.lockTimeoutMs ?? 600_000, options.onProgress);
  try {
    // whoever held the lock may have built it meanwhile
    if (await imageExists(options.tag, docker)) return { tag: options.tag, built: false };
    await buildScratchImage({ ...options, docker });
    return { tag: options.tag, built: true };
  } finally {
    rmSync(lock, { force: true });
  }
}

async function acquire(lock: string, tag: string, timeoutMs: number, onProgress?: (line: string) => void): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let told = false;
  for (;;) {
    try {
      const fd = openSync(lock, "wx", 0o600);
      writeFileSync(fd, String(process.pid));
      closeSync(fd);
      return;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
    }
    const holder = Number(safeRead(lock));
    if (!isAlive(holder, lock)) {
      rmSync(lock, { force: true });
      continue;
    }
    if (!told) {
      onProgress?.(`waiting for process ${holder}, which is building ${tag}`);
      told = true;
    }
    if (Date.now() > deadline) {
      throw new MinaLocalError("docker", `waited ${timeoutMs} ms for process ${holder} to finish building ${tag}`, { where: lock, hint: `if no build is running, remove ${lock}` });
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

function safeRead(path: string): string {
  try {
    return readFileSync(path, "utf8");
  } catch {
    return "";
  }
}

/** A lock made a moment ago may not hold its pid yet: without one it is alive for 10 s. */
function isAlive(pid: number, lock: string): boolean {
  if (!Number.isInteger(pid) || pid <= 0) {
    try {
      return Date.now() - statSync(lock).mtimeMs < 10_000;
    } catch {
      return false;
    }
  }
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}
