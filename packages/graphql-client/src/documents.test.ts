import { readdirSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { minaGraphqlIntrospection } from "@mina-local/engine";
import { buildClientSchema, getOperationAST, parse, validate, type IntrospectionQuery } from "graphql";
import { describe, expect, it } from "vitest";
import * as documents from "./documents.js";

const schema = buildClientSchema(minaGraphqlIntrospection() as unknown as IntrospectionQuery);
const all = Object.entries(documents);

describe("GraphQL documents", () => {
  it("are all exported strings (so that every one is checked below)", () => {
    expect(all.length).toBeGreaterThanOrEqual(14);
    for (const [, document] of all) expect(typeof document).toBe("string");
  });

  it.each(all)("%s is valid against the real Mina schema", (_name, document) => {
    const errors = validate(schema, parse(document));
    expect(errors.map((e) => e.message)).toEqual([]);
  });

  it.each(all)("%s holds exactly one named operation", (_name, document) => {
    const operation = getOperationAST(parse(document));
    expect(operation?.name?.value).toMatch(/^[a-z][A-Za-z]+$/);
  });

  it("appear nowhere else in the package's code", () => {
    const dir = fileURLToPath(new URL(".", import.meta.url));
    const others = readdirSync(dir).filter((f) => f.endsWith(".ts") && !f.endsWith(".test.ts") && f !== "documents.ts");
    for (const file of others) {
      const text = readFileSync(`${dir}/${file}`, "utf8");
      expect(text, file).not.toMatch(/\b(query|mutation)\s+[A-Za-z]+\s*[({]/);
    }
  });
});
