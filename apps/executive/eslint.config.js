import shared from "@mina-local/eslint-config";

// The DSL and the tests see the engine only through its interface (@mina-local/engine's
// intf.ts, Mina's Intf.Engine): a second engine then runs them unchanged.
const ENGINE_INTERNALS = {
  patterns: [
    { group: ["@mina-local/*/src/*", "../../*/src/*"], message: "import a package through its public entry" },
    {
      group: ["**/local-engine", "**/local-engine/**", "**/run-test.js", "**/run/**"],
      message: "the DSL and the tests use only the engine interface (@mina-local/engine) and the DSL: the local engine's modules are its own",
    },
  ],
  paths: ["@mina-local/swarm-manager", "@mina-local/bus", "@mina-local/compose-generator", "@mina-local/log-forwarder", "@mina-local/event-parser", "@nats-io/transport-node", "dockerode"].map(
    (name) => ({
      name,
      message: "the DSL and the tests use only the engine interface (@mina-local/engine) and the DSL, never an engine's parts",
    }),
  ),
};

export default [
  ...shared,
  {
    files: ["src/dsl/**/*.ts", "src/tests/**/*.ts"],
    rules: { "no-restricted-imports": ["error", ENGINE_INTERNALS] },
  },
];
