import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { appDir } from "../testing/cli-run.js";

// These run the BUILT executive (dist/, as users get it; `test` depends on `build`) on test
// files in a directory outside the repository with nothing installed around them.
const bin = join(appDir, "bin", "test_executive.js");
const registry = join(appDir, "dist", "src", "test-registry.js");
const outside = mkdtempSync(join(tmpdir(), "mina-local-test-files-"));
afterAll(() => rmSync(outside, { recursive: true, force: true }));

const example = readFileSync(join(appDir, "examples", "two-blocks.ts"), "utf8");
const cli = (...args: string[]) => spawnSync(process.execPath, [bin, ...args], { cwd: outside, encoding: "utf8", timeout: 60_000 });
/** what loadTest makes of each file, run in a fresh node from the test files' directory */
const load = (...files: string[]) =>
  spawnSync(
    process.execPath,
    [
      "--input-type=module",
      "-e",
      `const { loadTest } = await import(${JSON.stringify(registry)}); for (const f of process.argv.slice(1)) { const t = await loadTest(f); console.log(t.name, typeof t.run); }`,
      ...files,
    ],
    {
      cwd: outside,
      encoding: "utf8",
      timeout: 60_000,
    },
  );

// each case starts node once or twice: seconds on a loaded 2-core machine
describe("test files anywhere", { timeout: 90_000 }, () => {
  it('the README\'s "Writing a test" example is examples/two-blocks.ts, word for word', () => {
    const readme = readFileSync(join(appDir, "..", "..", "README.md"), "utf8");
    const section = readme.split(/^### /m).find((part) => part.startsWith("Writing a test"));
    const block = /```ts\n([\s\S]*?)```/.exec(section ?? "")?.[1];
    expect(block).toBe(example);
  });

  it("`init <dir>` writes the starter test, and refuses to overwrite it", () => {
    const dir = join(outside, "my-tests");
    const first = cli("init", dir);
    expect(first.status, first.stderr).toBe(0);
    expect(first.stderr).toContain(`test_executive local ${join(dir, "two-blocks.ts")}`);
    expect(readFileSync(join(dir, "two-blocks.ts"), "utf8")).toBe(example);
    const again = cli("init", dir);
    expect(again.status).toBe(2);
    expect(again.stderr).toContain("already exists");
  });

  it("loads .ts, .mts, .js and .mjs test files importing @mina-local/executive, with no package.json or node_modules around them", () => {
    const typed = example.replace('name: "two-blocks"', 'name: "typed" as string');
    const plain = example;
    writeFileSync(join(outside, "typed.ts"), typed);
    writeFileSync(join(outside, "typed.mts"), typed);
    writeFileSync(join(outside, "plain.js"), plain);
    writeFileSync(join(outside, "plain.mjs"), plain);
    const result = load(...["typed.ts", "typed.mts", "plain.js", "plain.mjs"].map((f) => join(outside, f)));
    expect(result.stderr).toBe("");
    expect(result.stdout.trim().split("\n")).toEqual(["typed function", "typed function", "two-blocks function", "two-blocks function"]);
  });

  it("a test file's local imports and the executive's own dependencies resolve too", () => {
    const dir = mkdtempSync(join(outside, "helpers-"));
    writeFileSync(
      join(dir, "config.ts"),
      'import type { TestConfigInput } from "@mina-local/executive";\nexport const CONFIG: TestConfigInput = { genesis_ledger: [{ account_name: "a", balance: "1" }], block_producers: [{ node_name: "bp", account_name: "a" }] };\n',
    );
    writeFileSync(
      join(dir, "uses-helpers.ts"),
      'import { z } from "zod";\nimport { defineTest } from "@mina-local/executive";\nimport { CONFIG } from "./config.js";\nexport default defineTest({ name: z.string().parse("helpers"), description: "", config: CONFIG, async run() {} });\n',
    );
    const result = load(join(dir, "uses-helpers.ts"));
    expect(result.stderr).toBe("");
    expect(result.stdout.trim()).toBe("helpers function");
  });

  it("a file that is not a test says what a test file must export", () => {
    writeFileSync(join(outside, "not-a-test.mjs"), "export default { name: 1 };\n");
    const result = load(join(outside, "not-a-test.mjs"));
    expect(result.status).not.toBe(0);
    expect(result.stderr).toContain("export default defineTest");
  });
});
