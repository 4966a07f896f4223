import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { minaGraphqlIntrospection } from "./graphql-schema.js";

describe("the Mina GraphQL schema in use", () => {
  it("derives from Mina's graphql_schema.json of develop 9f068b1c3b, byte for byte (reference/SOURCE.md)", () => {
    const bytes = readFileSync(new URL("../reference/mina-graphql-schema-2023-09.json", import.meta.url));
    expect(createHash("sha256").update(bytes).digest("hex")).toBe("eebad1c87a8888d2262e7acca19ae05ac9300fd984e9dfe552128afdb8c1fe79");
  });

  it("is what scripts/derive-mina-schema.mjs derives from it", () => {
    const script = fileURLToPath(new URL("../scripts/derive-mina-schema.mjs", import.meta.url));
    expect(() => execFileSync(process.execPath, [script, "--check"], { stdio: "pipe" })).not.toThrow();
  });

  it("is the Berkeley-era schema: zkApp commands, filtered logs, camel-case timing", () => {
    const schema = minaGraphqlIntrospection().__schema as { types: { name: string; fields: { name: string }[] | null }[] };
    const fields = (type: string) => schema.types.find((t) => t.name === type)?.fields?.map((f) => f.name) ?? [];
    expect(fields("mutation")).toEqual(expect.arrayContaining(["sendZkapp", "startFilteredLog", "sendTestPayments"]));
    expect(fields("mutation")).not.toContain("createToken");
    expect(fields("AccountTiming")).toEqual(["initialMinimumBalance", "cliffTime", "cliffAmount", "vestingPeriod", "vestingIncrement"]);
  });

  it("has the setVerificationKey permission of Mina 3.x that o1js 2.x asks for and sends", () => {
    type Ref = { kind: string; name: string | null; ofType: Ref | null };
    type Field = { name: string; type: Ref };
    const schema = minaGraphqlIntrospection().__schema as { types: { name: string; fields: Field[] | null; inputFields: Field[] | null }[] };
    const type = (name: string) => schema.types.find((t) => t.name === name);
    const named = (ref: Ref | undefined): string | null | undefined => (ref?.ofType ? named(ref.ofType) : ref?.name);
    expect(named(type("AccountPermissions")?.fields?.find((f) => f.name === "setVerificationKey")?.type)).toBe("VerificationKeyPermission");
    expect(type("VerificationKeyPermission")?.fields?.map((f) => [f.name, named(f.type)])).toEqual([
      ["auth", "AccountAuthRequired"],
      ["txnVersion", "String"],
    ]);
    expect(named(type("PermissionsInput")?.inputFields?.find((f) => f.name === "setVerificationKey")?.type)).toBe("VerificationKeyPermissionInput");
    expect(type("VerificationKeyPermissionInput")?.inputFields?.map((f) => [f.name, named(f.type)])).toEqual([
      ["auth", "AuthRequired"],
      ["txnVersion", "UInt32"],
    ]);
  });
});
