// Derives reference/mina-graphql-schema.json from Mina's graphql_schema.json of develop
// 9f068b1c3b (reference/mina-graphql-schema-2023-09.json) by the type changes of the newer Mina
// sources named in reference/SOURCE.md (the `setVerificationKey` permission became an object
// { auth, txnVersion }). Run: node scripts/derive-mina-schema.mjs [--check]
import { readFileSync, writeFileSync } from "node:fs";

const base = new URL("../reference/mina-graphql-schema-2023-09.json", import.meta.url);
const out = new URL("../reference/mina-graphql-schema.json", import.meta.url);

const named = (kind, name) => ({ kind, name, ofType: null });
const nonNull = (ofType) => ({ kind: "NON_NULL", name: null, ofType });

export function deriveMinaSchema(introspection) {
  const schema = structuredClone(introspection);
  const types = schema.data.__schema.types;
  const type = (name) => {
    const found = types.find((t) => t.name === name);
    if (!found) throw new Error(`the base schema has no type ${name}`);
    return found;
  };
  const field = (t, name) => {
    const found = (t.fields ?? t.inputFields).find((f) => f.name === name);
    if (!found) throw new Error(`${t.name} has no field ${name}`);
    return found;
  };
  // src/lib/mina_graphql/types.ml (MinaProtocol/mina 0405c1e020): set_verification_key_perm
  const vkDoc = "Authorization required to set the verification key of the zkApp associated with the account";
  types.push({
    kind: "OBJECT",
    name: "VerificationKeyPermission",
    description: null,
    fields: [
      { name: "auth", description: vkDoc, args: [], type: nonNull(named("ENUM", "AccountAuthRequired")), isDeprecated: false, deprecationReason: null },
      { name: "txnVersion", description: null, args: [], type: nonNull(named("SCALAR", "String")), isDeprecated: false, deprecationReason: null },
    ],
    inputFields: null,
    interfaces: [],
    enumValues: null,
    possibleTypes: null,
  });
  field(type("AccountPermissions"), "setVerificationKey").type = nonNull(named("OBJECT", "VerificationKeyPermission"));
  // the zkApp command input is derived from Mina's Permissions record by Fields_derivers_zkapps
  // (`finish "VerificationKeyPermission"` gives the input object VerificationKeyPermissionInput);
  // its fields are the layout o1js 2.x carries from Mina (bindings/mina-transaction/gen/v1/js-layout.js:
  // VerificationKeyPermission { auth: AuthRequired, txnVersion: UInt32 })
  types.push({
    kind: "INPUT_OBJECT",
    name: "VerificationKeyPermissionInput",
    description: null,
    fields: null,
    inputFields: [
      { name: "auth", description: null, type: nonNull(named("SCALAR", "AuthRequired")), defaultValue: null },
      { name: "txnVersion", description: null, type: nonNull(named("SCALAR", "UInt32")), defaultValue: null },
    ],
    interfaces: null,
    enumValues: null,
    possibleTypes: null,
  });
  const input = type("PermissionsInput");
  const vkInput = nonNull(named("INPUT_OBJECT", "VerificationKeyPermissionInput"));
  field({ name: input.name, fields: input.inputFields }, "setVerificationKey").type = vkInput;
  // the 2023-09 file lists input objects' fields twice (fields and inputFields); keep them alike
  if (input.fields) field({ name: input.name, fields: input.fields }, "setVerificationKey").type = vkInput;
  return schema;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const text = `${JSON.stringify(deriveMinaSchema(JSON.parse(readFileSync(base, "utf8"))), null, 2)}\n`;
  if (process.argv.includes("--check")) {
    if (readFileSync(out, "utf8") !== text) {
      console.error("reference/mina-graphql-schema.json is not what scripts/derive-mina-schema.mjs derives; run it");
      process.exit(1);
    }
  } else writeFileSync(out, text);
}
