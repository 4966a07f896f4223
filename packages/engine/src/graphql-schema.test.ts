import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { minaGraphqlIntrospection } from "./graphql-schema.js";

describe("the Mina GraphQL schema in use", () => {
  it("is Mina's graphql_schema.json of develop 9f068b1c3b, byte for byte (reference/SOURCE.md)", () => {
    const bytes = readFileSync(new URL("../reference/mina-graphql-schema.json", import.meta.url));
    expect(createHash("sha256").update(bytes).digest("hex")).toBe("eebad1c87a8888d2262e7acca19ae05ac9300fd984e9dfe552128afdb8c1fe79");
  });

  it("is the Berkeley-era schema: zkApp commands, filtered logs, camel-case timing", () => {
    const schema = minaGraphqlIntrospection().__schema as { types: { name: string; fields: { name: string }[] | null }[] };
    const fields = (type: string) => schema.types.find((t) => t.name === type)?.fields?.map((f) => f.name) ?? [];
    expect(fields("mutation")).toEqual(expect.arrayContaining(["sendZkapp", "startFilteredLog", "sendTestPayments"]));
    expect(fields("mutation")).not.toContain("createToken");
    expect(fields("AccountTiming")).toEqual(["initialMinimumBalance", "cliffTime", "cliffAmount", "vestingPeriod", "vestingIncrement"]);
  });
});
