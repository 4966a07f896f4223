import introspection from "../reference/mina-graphql-schema.json" with { type: "json" };

/** The introspection result of a real Mina daemon (see reference/SOURCE.md), for `buildClientSchema`. */
export function minaGraphqlIntrospection(): { __schema: unknown } {
  return introspection.data as unknown as { __schema: unknown };
}
