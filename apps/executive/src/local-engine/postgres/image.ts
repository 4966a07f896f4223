import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, readdirSync, readFileSync, realpathSync, statSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { DEFAULT_POSTGRES_IMAGE, MinaLocalError } from "@mina-local/engine";
import { buildScratchImageOnce, dockerForImages, imageExists, nodeRuntimeFiles, parseLddOutput, removeOlderTags, type ImageFile } from "@mina-local/image-builder";

/**
 * The PostgreSQL image of archive nodes: `--postgres-image`, else `postgres:16` when this
 * machine has it, else one built here FROM scratch (no registry) from Debian's
 * postgresql-15 packages and this machine's Node runtime (for its entrypoint).
 */
export const LOCAL_POSTGRES_REPOSITORY = "mina-local/postgres";
/** Debian installs each major version side by side: the newest one here (15 on Debian 12), else 15 for the messages */
const PG_VERSION = (() => {
  const versions = existsSync("/usr/lib/postgresql") ? readdirSync("/usr/lib/postgresql").filter((v) => /^\d+$/.test(v) && existsSync(`/usr/lib/postgresql/${v}/bin/postgres`)) : [];
  return versions.sort((a, b) => Number(b) - Number(a))[0] ?? "15";
})();
const PG_BIN = `/usr/lib/postgresql/${PG_VERSION}/bin`;
const PG_LIB = `/usr/lib/postgresql/${PG_VERSION}/lib`;
const PG_SHARE = `/usr/share/postgresql/${PG_VERSION}`;
/** what the entrypoint, the health check and dumpArchiveData() run */
const BINARIES = ["postgres", "initdb", "pg_ctl", "psql", "pg_dump", "pg_isready"];
const ENTRYPOINT = fileURLToPath(new URL("./docker-entrypoint.cjs", import.meta.url));

export async function resolvePostgresImage(requested: string | undefined, onProgress: (line: string) => void): Promise<string> {
  const docker = await dockerForImages();
  if (requested !== undefined) {
    if (!(await imageExists(requested, docker))) {
      throw new MinaLocalError("image", `the PostgreSQL image ${requested} (--postgres-image) is not on this machine`, {
        hint: `load or build it first (\`docker load -i <file>\`); no registry is used. Leave out --postgres-image to use ${DEFAULT_POSTGRES_IMAGE} when present, else an image built from Debian's postgresql-${PG_VERSION}`,
      });
    }
    return requested;
  }
  if (await imageExists(DEFAULT_POSTGRES_IMAGE, docker)) return DEFAULT_POSTGRES_IMAGE;
  return buildLocalPostgresImage(onProgress);
}

function filesUnder(dir: string, skip: (path: string) => boolean): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (skip(path)) continue;
    if (entry.isDirectory()) out.push(...filesUnder(path, skip));
    else if (statSync(path, { throwIfNoEntry: false })?.isFile()) out.push(path);
  }
  return out;
}

function sharedLibraries(): string[] {
  const libraries = new Set<string>();
  for (const binary of BINARIES) {
    for (const lib of parseLddOutput(execFileSync("ldd", [`${PG_BIN}/${binary}`], { encoding: "utf8", timeout: 10_000 }))) libraries.add(lib);
  }
  return [...libraries];
}

function postgresFiles(): ImageFile[] {
  if (!BINARIES.every((b) => existsSync(`${PG_BIN}/${b}`))) {
    throw new MinaLocalError("setup", `PostgreSQL ${PG_VERSION} is not installed here (${PG_BIN}), and the image ${DEFAULT_POSTGRES_IMAGE} is not on this machine`, {
      hint: `install Debian's PostgreSQL (\`apt-get install postgresql\`; its service need not run), load ${DEFAULT_POSTGRES_IMAGE}, or pass --postgres-image`,
    });
  }
  const host = (path: string, mode = 0o644): ImageFile => ({ path, source: realpathSync(path), mode });
  return [
    ...BINARIES.map((b) => host(`${PG_BIN}/${b}`, 0o755)),
    ...sharedLibraries().map((lib) => host(lib, 0o755)),
    // the JIT's bitcode is 20 MB and only serves llvmjit, which the entrypoint leaves off
    ...filesUnder(PG_LIB, (p) => p.endsWith("/bitcode") || p.includes("llvmjit")).map((p) => host(p, 0o755)),
    ...filesUnder(PG_SHARE, () => false).map((p) => host(p)),
    // Debian builds PostgreSQL --with-system-tzdata
    ...filesUnder("/usr/share/zoneinfo", () => false).map((p) => host(p)),
    // initdb and pg_ctl start postgres through popen()/system(), which need /bin/sh (Debian's dash)
    { path: "/bin/sh", source: realpathSync("/bin/sh"), mode: 0o755 },
    { path: "/usr/local/bin/docker-entrypoint.sh", content: readFileSync(ENTRYPOINT), mode: 0o755 },
    { path: "/docker-entrypoint-initdb.d/" },
    { path: "/var/lib/postgresql/" },
    { path: "/var/run/postgresql/" },
  ];
}

async function buildLocalPostgresImage(onProgress: (line: string) => void): Promise<string> {
  const runtime = (await nodeRuntimeFiles()).filter((f) => f.path !== "/etc/passwd" && f.path !== "/etc/group");
  const all: ImageFile[] = [
    ...runtime,
    { path: "/etc/passwd", content: "root:x:0:0:root:/root:/sbin/nologin\npostgres:x:999:999:PostgreSQL:/var/lib/postgresql:/sbin/nologin\n", mode: 0o644 },
    { path: "/etc/group", content: "root:x:0:\npostgres:x:999:\n", mode: 0o644 },
    ...postgresFiles(),
  ];
  // libc and friends are both Node's and PostgreSQL's: one entry each
  const files = [...new Map(all.map((f) => [f.path, f])).values()];
  const version = execFileSync(`${PG_BIN}/postgres`, ["--version"], { encoding: "utf8", timeout: 10_000 }).trim();
  const digest = createHash("sha256").update(version).update(readFileSync(ENTRYPOINT)).update(process.version).digest("hex").slice(0, 12);
  const tag = `${LOCAL_POSTGRES_REPOSITORY}:${PG_VERSION}-${digest}`;
  onProgress(`PostgreSQL image ${tag} (${version}, Debian's packages)`);
  const { built } = await buildScratchImageOnce({
    tag,
    files,
    withNodeRuntime: false,
    env: { PATH: `/usr/local/bin:${PG_BIN}:/usr/bin:/bin`, PGDATA: "/var/lib/postgresql/data", TZ: "UTC", LANG: "C" },
    labels: { "org.opencontainers.image.title": `mina-local PostgreSQL (Debian postgresql-${PG_VERSION})` },
    entrypoint: ["docker-entrypoint.sh"],
    cmd: ["postgres"],
    onProgress,
  });
  if (built) {
    // as the simulator image: older builds (a day old, used by no container) go, 180 MB each
    const removed = await removeOlderTags(LOCAL_POSTGRES_REPOSITORY, tag, undefined, { builtBefore: new Date(Date.now() - 24 * 3_600_000) });
    if (removed.length > 0) onProgress(`removed ${removed.length} PostgreSQL image(s) of older code: ${removed.join(", ")}`);
  }
  return tag;
}
