import { existsSync, readdirSync } from "node:fs";
import { resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { z } from "zod";
import { MinaLocalError } from "@mina-local/engine";
import type { TestDefinition } from "./dsl/define-test.js";
import { importTestFile } from "./test-files/import-test-file.js";

/**
 * Built-in tests: Mina's integration tests, ported to our DSL, one module per test in
 * src/tests/ named after the test (`send-payment.ts` is `send-payment`).
 */
const TESTS_DIR = fileURLToPath(new URL("./tests/", import.meta.url));
const BUILT_IN: Record<string, () => Promise<{ default: unknown }>> = Object.fromEntries(
  readdirSync(TESTS_DIR)
    // .ts in the sources, .js once built (dist/ also holds each module's .d.ts)
    .filter((file) => /^[a-z0-9-]+\.(ts|js)$/.test(file) && !file.endsWith(".test.ts") && !file.endsWith(".d.ts"))
    .map((file) => [file.replace(/\.(ts|js)$/, ""), () => import(pathToFileURL(`${TESTS_DIR}${file}`).href) as Promise<{ default: unknown }>]),
);

export const builtInTestNames = (): string[] => Object.keys(BUILT_IN);

const TestDefinitionShape = z.object({
  name: z.string().min(1),
  description: z.string(),
  config: z.record(z.string(), z.unknown()),
  run: z.custom<TestDefinition["run"]>((v) => typeof v === "function", { message: "expected a function run(t)" }),
  startLater: z.array(z.string()).optional(),
});

export async function loadTest(nameOrPath: string): Promise<TestDefinition> {
  const builtIn = BUILT_IN[nameOrPath];
  const looksLikePath = /[/\\]|\.(ts|mts|js|mjs)$/.test(nameOrPath);
  if (!builtIn && !looksLikePath) {
    throw new MinaLocalError("invalid-arguments", `no test named "${nameOrPath}"`, {
      hint: `run \`test_executive list\` to see the tests (${builtInTestNames().join(", ")}), or pass the path of a test file`,
    });
  }
  let module: { default: unknown };
  if (builtIn) module = await builtIn();
  else {
    const path = resolve(nameOrPath);
    if (!existsSync(path)) throw new MinaLocalError("invalid-arguments", `test file ${path} does not exist`);
    try {
      module = await importTestFile(path);
    } catch (cause) {
      throw new MinaLocalError("invalid-arguments", `could not load test file ${path}: ${cause instanceof Error ? cause.message : String(cause)}`, { cause });
    }
  }
  const parsed = TestDefinitionShape.safeParse(module.default);
  if (!parsed.success) {
    const where = parsed.error.issues.map((i) => `${i.path.join(".") || "default export"}: ${i.message}`).join("; ");
    throw new MinaLocalError("invalid-arguments", `${nameOrPath}: the default export is not a test (${where})`, {
      hint: "a test file ends with `export default defineTest({ name, description, config, run })`",
    });
  }
  return module.default as TestDefinition;
}

export async function listTests(): Promise<{ name: string; description: string }[]> {
  const tests = await Promise.all(builtInTestNames().map((name) => loadTest(name)));
  return tests.map((t) => ({ name: t.name, description: t.description }));
}
