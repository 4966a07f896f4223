#!/usr/bin/env node
// Every package stands alone: pack it with `pnpm pack` (which rewrites workspace: ranges to
// versions and applies publishConfig), check that the tarball holds what its package.json
// points at, install it with its sibling tarballs in an empty directory outside the
// workspace, and run the example of its README ("## Usage example": a ```js block runs with
// node, a ```sh block with sh -e, the installed bins on PATH).
//
//   node tooling/scripts/pack-check.mjs [--results <file.json>] [--keep] [package-name...]
//
// Expects built packages (`pnpm build`); test-all.mjs runs it after the tests, which build.
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";

const root = new URL("../..", import.meta.url).pathname;
const args = process.argv.slice(2);
const option = (name) => {
  const i = args.indexOf(name);
  return i >= 0 ? args.splice(i, 2)[1] : undefined;
};
const resultsFile = option("--results");
const keep = args.includes("--keep") ? (args.splice(args.indexOf("--keep"), 1), true) : false;
const only = new Set(args);

/** The workspace packages meant for others: the ones with a publishConfig. */
const packages = ["packages", "apps", "tooling"]
  .flatMap((dir) => readdirSync(join(root, dir)).map((name) => join(root, dir, name)))
  .filter((dir) => existsSync(join(dir, "package.json")))
  .map((dir) => ({ dir, manifest: JSON.parse(readFileSync(join(dir, "package.json"), "utf8")) }))
  .filter((p) => p.manifest.publishConfig);

// Installing runs outside the workspace: none of the workspace's pnpm/npm settings may leak in.
const cleanEnv = Object.fromEntries(Object.entries(process.env).filter(([key]) => !/^(npm|pnpm)_/i.test(key)));

function run(command, commandArgs, options) {
  const result = spawnSync(command, commandArgs, { encoding: "utf8", env: cleanEnv, timeout: 300_000, maxBuffer: 64 * 1024 * 1024, ...options });
  const output = `${result.stdout ?? ""}${result.stderr ?? ""}`;
  if (result.error) return { ok: false, output: `${output}\n${command} ${commandArgs.join(" ")}: ${result.error.message}` };
  return { ok: result.status === 0, output };
}

/** Every file an exports condition or a bin points at. */
function pointedAt(manifest) {
  const targets = [];
  const walk = (value) => {
    if (typeof value === "string") targets.push(value);
    else if (value && typeof value === "object") Object.values(value).forEach(walk);
  };
  walk(manifest.exports);
  walk(manifest.bin);
  return targets.map((t) => t.replace(/^\.\//, ""));
}

/** The README's usage example: the first js or sh fence under "## Usage example". */
function readmeExample(readme) {
  const section = readme.split(/^## /m).find((part) => /^Usage example\s*\n/.test(part));
  if (!section) return undefined;
  const fence = /^```(js|sh)\s*\n([\s\S]*?)^```/m.exec(section);
  return fence ? { language: fence[1], code: fence[2] } : undefined;
}

const work = mkdtempSync(join(tmpdir(), "mina-local-pack-check-"));
const tarballDir = join(work, "tarballs");
mkdirSync(tarballDir);
const results = [];
const record = (name, ok, detail, startedAt) => {
  const seconds = ((Date.now() - startedAt) / 1000).toFixed(1);
  results.push({ name, ok, detail });
  process.stderr.write(
    `pack-check: ${name}: ${ok ? "passed" : "FAILED"} (${seconds} s)${
      ok
        ? ""
        : `\n${detail
            .trimEnd()
            .split("\n")
            .slice(-40)
            .map((l) => `    ${l}`)
            .join("\n")}`
    }\n`,
  );
};

// 1. pack everything (the installs need every sibling's tarball)
const tarballs = new Map();
for (const { dir, manifest } of packages) {
  const startedAt = Date.now();
  const packed = run("pnpm", ["pack", "--json", "--pack-destination", tarballDir], { cwd: dir });
  if (!packed.ok) {
    record(manifest.name, false, `pnpm pack failed:\n${packed.output}`, startedAt);
    continue;
  }
  const info = JSON.parse(packed.output.slice(packed.output.indexOf("{")));
  const files = new Set(info.files.map((f) => f.path));
  const missing = pointedAt(manifest.publishConfig)
    .concat(pointedAt({ bin: manifest.bin }))
    .filter((file) => !files.has(file));
  // the sources stay home (examples shipped as files, such as the executive's starter test, may be .ts)
  const sources = [...files].filter((f) => f.startsWith("src/") || (f.startsWith("dist/") && f.endsWith(".ts") && !f.endsWith(".d.ts")));
  if (missing.length > 0 || sources.length > 0 || !files.has("README.md")) {
    record(
      manifest.name,
      false,
      `the tarball ${info.filename} is incomplete: missing ${missing.join(", ") || "nothing"}${files.has("README.md") ? "" : ", README.md"}; TypeScript sources shipped: ${sources.join(", ") || "none"}`,
      startedAt,
    );
    continue;
  }
  tarballs.set(manifest.name, info.filename);
}
const overrides = Object.fromEntries([...tarballs].map(([name, file]) => [name, `file:${file}`]));

// 2. install each package alone, with its siblings' tarballs, and run its README example
for (const { dir, manifest } of packages) {
  if (!tarballs.has(manifest.name) || (only.size > 0 && !only.has(manifest.name))) continue;
  const startedAt = Date.now();
  const example = readmeExample(readFileSync(join(dir, "README.md"), "utf8"));
  if (!example) {
    record(manifest.name, false, `${relative(root, join(dir, "README.md"))} has no "## Usage example" section with a js or sh code block`, startedAt);
    continue;
  }
  // the example installs what it imports, as a user would: siblings from their tarballs,
  // anything else at the range the package itself depends on
  const dependencies = { [manifest.name]: overrides[manifest.name] };
  for (const [, specifier] of example.code.matchAll(/from "((?:@[^/"]+\/)?[^/"]+)[^"]*"/g)) {
    if (specifier.startsWith("node:") || specifier in dependencies) continue;
    dependencies[specifier] = overrides[specifier] ?? manifest.dependencies?.[specifier] ?? "*";
  }
  const consumer = join(work, manifest.name.replace(/^@[^/]+\//, ""));
  mkdirSync(consumer);
  writeFileSync(join(consumer, "package.json"), JSON.stringify({ name: "pack-check-consumer", private: true, type: "module", dependencies, pnpm: { overrides } }, null, 2));
  const installed = run("pnpm", ["install", "--reporter=append-only", "--config.confirmModulesPurge=false"], { cwd: consumer });
  if (!installed.ok) {
    record(manifest.name, false, `pnpm install of the tarballs failed:\n${installed.output}`, startedAt);
    continue;
  }
  const file = join(consumer, example.language === "js" ? "example.mjs" : "example.sh");
  writeFileSync(file, example.code);
  const ran =
    example.language === "js"
      ? run(process.execPath, [file], { cwd: consumer, timeout: 120_000 })
      : run("sh", ["-e", file], { cwd: consumer, timeout: 120_000, env: { ...cleanEnv, PATH: `${join(consumer, "node_modules", ".bin")}:${cleanEnv.PATH}` } });
  record(manifest.name, ran.ok, `the README example failed (${file}):\n${ran.output}`, startedAt);
}

if (!keep) rmSync(work, { recursive: true, force: true });
else process.stderr.write(`pack-check: kept ${work}\n`);
const passed = results.filter((r) => r.ok).length;
const failed = results.length - passed;
if (resultsFile) mkdirSync(join(resultsFile, ".."), { recursive: true });
if (resultsFile) writeFileSync(resultsFile, JSON.stringify({ passed, failed, results }, null, 2));
process.stderr.write(`pack-check: ${passed} passed, ${failed} failed\n`);
process.exit(failed > 0 ? 1 : 0);
