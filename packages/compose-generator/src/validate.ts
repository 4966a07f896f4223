import { Ajv, type ErrorObject } from "ajv";
import composeSpec from "../reference/compose-spec.json" with { type: "json" };

// The spec declares "$schema": ".../draft-07/schema" without the trailing '#', which ajv
// does not know as a meta-schema: skip meta-validation (the spec is a fixed, known file).
// strict: false lets the spec's extra keywords ("deprecated", ...) compile.
const ajv = new Ajv({ strict: false, allowUnionTypes: true, allErrors: true, validateSchema: false });
const validateSpec = ajv.compile(composeSpec);

function describe(error: ErrorObject): string {
  const where = error.instancePath === "" ? "(top level)" : error.instancePath;
  const detail =
    error.keyword === "additionalProperties"
      ? ` "${String((error.params as { additionalProperty?: string }).additionalProperty)}"`
      : error.keyword === "enum"
        ? ` (${JSON.stringify((error.params as { allowedValues?: unknown }).allowedValues)})`
        : "";
  return `compose file: ${where}: ${error.message ?? error.keyword}${detail}`;
}

/** Errors of a compose file against the Compose Specification's JSON schema; empty when valid. */
export function validateComposeFile(compose: unknown): string[] {
  if (validateSpec(compose)) return [];
  return [...new Set((validateSpec.errors ?? []).map(describe))];
}
