import { execFile } from "node:child_process";
import { realpathSync } from "node:fs";
import { promisify } from "node:util";
import { MinaLocalError } from "@mina-local/engine";
import type { ImageFile } from "./image-file.js";

const run = promisify(execFile);

/** Where the Node runtime goes in an image, so `#!/usr/bin/node` scripts run. */
export const IMAGE_NODE_PATH = "/usr/bin/node";

/** Parses `ldd` output into the absolute library paths the binary loads (the vdso has no file). */
export function parseLddOutput(output: string): string[] {
  const paths: string[] = [];
  for (const raw of output.split("\n")) {
    const line = raw.trim();
    const arrow = /=>\s+(\/\S+)/.exec(line);
    const bare = /^(\/\S+)\s+\(/.exec(line);
    const path = arrow?.[1] ?? bare?.[1];
    if (path && !paths.includes(path)) paths.push(path);
  }
  return paths;
}

/**
 * The files a FROM scratch image needs to run this machine's Node: the binary, the
 * shared libraries `ldd` names (at the paths the loader looks for them), and the few
 * /etc files glibc reads for users and name resolution.
 */
export async function nodeRuntimeFiles(nodeBinary = process.execPath): Promise<ImageFile[]> {
  let output: string;
  try {
    output = (await run("ldd", [nodeBinary], { timeout: 10_000 })).stdout;
  } catch (cause) {
    throw new MinaLocalError("setup", `could not list the shared libraries of ${nodeBinary} with ldd`, {
      hint: "install ldd (Debian package libc-bin)",
      cause,
    });
  }
  const libraries = parseLddOutput(output).map((path) => ({ path, source: realpathSync(path), mode: 0o755 }));
  return [
    { path: IMAGE_NODE_PATH, source: realpathSync(nodeBinary), mode: 0o755 },
    ...libraries,
    { path: "/etc/passwd", content: "root:x:0:0:root:/root:/sbin/nologin\nnobody:x:65534:65534:nobody:/nonexistent:/sbin/nologin\n", mode: 0o644 },
    { path: "/etc/group", content: "root:x:0:\nnogroup:x:65534:\n", mode: 0o644 },
    { path: "/etc/nsswitch.conf", content: "hosts: files dns\n", mode: 0o644 },
    { path: "/tmp/", mode: 0o1777 },
    { path: "/root/", mode: 0o700 },
  ];
}
