import { createReadStream, statSync } from "node:fs";
import { pipeline } from "node:stream/promises";
import { pack, type Pack } from "tar-stream";
import type { ImageFile } from "./image-file.js";

export interface ImageSpec {
  entrypoint?: string[];
  cmd?: string[];
  env?: Record<string, string>;
  labels?: Record<string, string>;
  workdir?: string;
}

/** The Dockerfile of a scratch image whose root file system is the context's rootfs/ folder. */
export function dockerfileFor(spec: ImageSpec): string {
  const lines = ["FROM scratch", "COPY rootfs/ /"];
  for (const [key, value] of Object.entries(spec.env ?? {})) lines.push(`ENV ${key}=${JSON.stringify(value)}`);
  for (const [key, value] of Object.entries(spec.labels ?? {})) lines.push(`LABEL ${JSON.stringify(key)}=${JSON.stringify(value)}`);
  if (spec.workdir) lines.push(`WORKDIR ${spec.workdir}`);
  if (spec.entrypoint) lines.push(`ENTRYPOINT ${JSON.stringify(spec.entrypoint)}`);
  if (spec.cmd) lines.push(`CMD ${JSON.stringify(spec.cmd)}`);
  return `${lines.join("\n")}\n`;
}

function parentDirectories(path: string): string[] {
  const parts = path.split("/").filter(Boolean);
  const dirs: string[] = [];
  for (let i = 1; i < parts.length; i++) dirs.push(parts.slice(0, i).join("/"));
  return dirs;
}

function addEntry(tar: Pack, header: Parameters<Pack["entry"]>[0], content?: Buffer): Promise<void> {
  return new Promise((resolve, reject) => {
    tar.entry(header, content ?? Buffer.alloc(0), (error) => (error ? reject(error) : resolve()));
  });
}

/**
 * Streams a build context (Dockerfile + rootfs/) as a tar archive. Host files are
 * streamed, never read whole: the Node binary alone is ~100 MB.
 */
export function buildContext(files: ImageFile[], spec: ImageSpec): Pack {
  const tar = pack();
  const write = async () => {
    await addEntry(tar, { name: "Dockerfile", mode: 0o644 }, Buffer.from(dockerfileFor(spec)));
    const madeDirs = new Set<string>();
    const ensureDir = async (dir: string, mode = 0o755) => {
      if (madeDirs.has(dir)) return;
      madeDirs.add(dir);
      await addEntry(tar, { name: `rootfs/${dir}/`, type: "directory", mode });
    };
    for (const file of files) {
      for (const dir of parentDirectories(file.path)) await ensureDir(dir);
      const name = file.path.replace(/^\/+/, "");
      if (file.path.endsWith("/")) {
        await ensureDir(name.replace(/\/$/, ""), file.mode ?? 0o755);
      } else if (file.source) {
        const size = statSync(file.source).size;
        const entry = tar.entry({ name: `rootfs/${name}`, size, mode: file.mode ?? 0o644 });
        await pipeline(createReadStream(file.source), entry);
      } else {
        const content = typeof file.content === "string" ? Buffer.from(file.content) : (file.content ?? Buffer.alloc(0));
        await addEntry(tar, { name: `rootfs/${name}`, mode: file.mode ?? 0o644 }, content);
      }
    }
    tar.finalize();
  };
  write().catch((error: unknown) => tar.destroy(error instanceof Error ? error : new Error(String(error))));
  return tar;
}
