import { readdirSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";
import { describe, expect, it } from "vitest";

/**
 * The DSL and the tests see the engine only through its interface (@mina-local/engine,
 * Mina's Intf.Engine) and the DSL, so a second engine runs them unchanged. The same rule is
 * eslint's no-restricted-imports in eslint.config.js; this one also holds where lint is not run.
 */
const FORBIDDEN_PACKAGES = [
  "@mina-local/swarm-manager",
  "@mina-local/bus",
  "@mina-local/compose-generator",
  "@mina-local/log-forwarder",
  "@mina-local/event-parser",
  "@nats-io/transport-node",
  "dockerode",
];
const FORBIDDEN_LOCAL = [/(^|\/)local-engine(\/|$)/, /(^|\/)run-test\.js$/, /(^|\/)run\//];

const src = new URL(".", import.meta.url).pathname;

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => (entry.isDirectory() ? filesUnder(join(dir, entry.name)) : entry.name.endsWith(".ts") ? [join(dir, entry.name)] : []));
}

/** every module specifier of `import ... from`, `export ... from` and `import(...)` */
function importsOf(text: string): string[] {
  const found: string[] = [];
  for (const match of text.matchAll(/\b(?:from|import)\s*\(?\s*["']([^"']+)["']/g)) found.push(match[1] ?? "");
  return found;
}

function forbiddenImport(specifier: string): boolean {
  return FORBIDDEN_PACKAGES.some((p) => specifier === p || specifier.startsWith(`${p}/`)) || (specifier.startsWith(".") && FORBIDDEN_LOCAL.some((re) => re.test(specifier)));
}

describe("the engine boundary", () => {
  it("the rule catches an import of the local engine, of the swarm manager and of the bus", () => {
    const text = 'import { startAfterSeeds } from "../local-engine/start-order.js";\nimport type { SwarmManager } from "@mina-local/swarm-manager";\nconst bus = await import("@mina-local/bus");';
    expect(importsOf(text).filter(forbiddenImport)).toEqual(["../local-engine/start-order.js", "@mina-local/swarm-manager", "@mina-local/bus"]);
    expect(forbiddenImport("../dsl/define-test.js")).toBe(false);
    expect(forbiddenImport("@mina-local/engine")).toBe(false);
  });

  for (const dir of ["dsl", "tests"]) {
    it(`src/${dir} imports no engine internals`, () => {
      const offending = filesUnder(join(src, dir)).flatMap((file) =>
        importsOf(readFileSync(file, "utf8"))
          .filter(forbiddenImport)
          .map((specifier) => `${relative(src, file)}: ${specifier}`),
      );
      expect(offending).toEqual([]);
    });
  }
});
