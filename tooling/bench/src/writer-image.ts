import { createHash } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { buildScratchImageOnce, dockerForImages, imageExists, removeOlderTags } from "@mina-local/image-builder";
import { bundleForwarder } from "@mina-local/log-forwarder/build";

/** The writer script: `mina` in the bench image, and the raw-FIFO writer on the host. */
export const WRITER_SCRIPT = fileURLToPath(new URL("./writer/mina-writer.cjs", import.meta.url));
export const WRITER_IMAGE_REPOSITORY = "mina-local/bench-writer";
/** Real Mina lines the writer replays in the Trace-volume run (sources in mina-trace-lines.md). */
export const TRACE_LINES = fileURLToPath(new URL("./writer/mina-trace-lines.jsonl", import.meta.url));
/** Where the writer image keeps them. */
export const TRACE_LINES_IN_IMAGE = "/usr/local/share/mina-local/mina-trace-lines.jsonl";

/**
 * A FROM-scratch image laid out like a node's: this machine's Node runtime, the real
 * forwarder bundle as /mina-local/forwarder and the writer as /usr/local/bin/mina. Tagged
 * by the content's hash, so it is built once per change.
 */
export async function buildWriterImage(onProgress?: (line: string) => void): Promise<string> {
  const docker = await dockerForImages();
  const dir = mkdtempSync(join(tmpdir(), "bench-writer-image-"));
  try {
    const bundle = await bundleForwarder({ outFile: join(dir, "forwarder.cjs"), minify: true });
    const forwarderJs = readFileSync(bundle.outFile, "utf8");
    const forwarder = Buffer.from(forwarderJs.startsWith("#!") ? forwarderJs : `#!/usr/bin/node\n${forwarderJs}`);
    const writer = readFileSync(WRITER_SCRIPT);
    const traceLines = readFileSync(TRACE_LINES);
    const tag = `${WRITER_IMAGE_REPOSITORY}:${createHash("sha256").update(forwarder).update(writer).update(traceLines).digest("hex").slice(0, 12)}`;
    if (await imageExists(tag, docker)) return tag;
    onProgress?.(`building ${tag}`);
    await buildScratchImageOnce({
      tag,
      docker,
      files: [
        { path: "/usr/local/bin/mina", content: writer, mode: 0o755 },
        { path: "/mina-local/forwarder", content: forwarder, mode: 0o755 },
        { path: TRACE_LINES_IN_IMAGE, content: traceLines, mode: 0o644 },
        { path: "/root/.mina-config/" },
        { path: "/tmp/" },
      ],
      env: { PATH: "/usr/local/bin:/usr/bin:/bin", HOME: "/root" },
      labels: { "org.opencontainers.image.title": "mina-local bench log writer" },
      entrypoint: ["/usr/local/bin/mina"],
      ...(onProgress && { onProgress }),
    });
    await removeOlderTags(WRITER_IMAGE_REPOSITORY, tag, docker, { builtBefore: new Date(Date.now() - 24 * 3_600_000) });
    return tag;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
