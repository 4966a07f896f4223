#!/usr/bin/env node
// The README's test command: typecheck and lint every package, check the formatting, run every package's
// tests one package at a time (Docker tests must not race each other on 2 cores), pack
// every package and run its README example outside the workspace (pack-check.mjs), then
// print the total as the last line: "N passed, N failed[, N skipped]".
import { spawnSync } from "node:child_process";
import { existsSync, readFileSync, readdirSync, rmSync } from "node:fs";
import { join } from "node:path";

const root = new URL("../..", import.meta.url).pathname;
const workspaces = ["packages", "apps", "tooling"].flatMap((dir) => (existsSync(join(root, dir)) ? readdirSync(join(root, dir)).map((name) => join(root, dir, name)) : []));
const resultFile = (ws) => join(ws, "test-results", "vitest.json");
for (const ws of workspaces) rmSync(join(ws, "test-results"), { recursive: true, force: true });

const env = { ...process.env, TURBO_TELEMETRY_DISABLED: "1", FORCE_COLOR: process.env.CI ? "0" : process.env.FORCE_COLOR };
const turbo = (args) => spawnSync("pnpm", ["exec", "turbo", "run", ...args, ...process.argv.slice(2)], { cwd: root, stdio: "inherit", env }).status ?? 1;

const checks = turbo(["typecheck", "lint"]);
// one formatter for the whole tree (prettier; .prettierrc.json, .prettierignore)
const formatted = spawnSync("pnpm", ["exec", "prettier", "--check", "."], { cwd: root, stdio: "inherit", env }).status ?? 1;
const tests = turbo(["test", "--concurrency=1", "--continue"]);
// every package packed, installed alone outside the workspace, its README example run (the tests built dist/)
const packResults = join(root, "test-results", "pack-check.json");
rmSync(packResults, { force: true });
spawnSync(process.execPath, [join(root, "tooling", "scripts", "pack-check.mjs"), "--results", packResults], { cwd: root, stdio: "inherit", env });

let passed = 0;
let failed = 0;
let skipped = 0;
for (const ws of workspaces) {
  if (!existsSync(resultFile(ws))) continue;
  const report = JSON.parse(readFileSync(resultFile(ws), "utf8"));
  passed += report.numPassedTests ?? 0;
  failed += report.numFailedTests ?? 0;
  skipped += (report.numPendingTests ?? 0) + (report.numTodoTests ?? 0);
  // a test file that fails to load has no tests but is a failure all the same
  failed += (report.testResults ?? []).filter((file) => file.status === "failed" && (file.assertionResults ?? []).length === 0).length;
}
if (existsSync(packResults)) {
  const pack = JSON.parse(readFileSync(packResults, "utf8"));
  passed += pack.passed;
  failed += pack.failed;
} else {
  console.error("the pack check wrote no results (see above)");
  failed += 1;
}
// each failed check counts as a failure, so that the last line never says 0 failed when one did
if (checks !== 0) {
  console.error("typecheck or lint failed (see above)");
  failed += 1;
}
if (formatted !== 0) {
  console.error("files not formatted: run `pnpm format` (see above)");
  failed += 1;
}
if (tests !== 0 && failed === 0) {
  console.error("a package's test task failed without a failing test (see above)");
  failed += 1;
}
console.log(`${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ""}`);
process.exit(checks !== 0 || formatted !== 0 || tests !== 0 || failed > 0 ? 1 : 0);
