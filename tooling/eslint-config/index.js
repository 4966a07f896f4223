// Shared flat config: every package's eslint.config.js re-exports this.
import tseslint from "typescript-eslint";

export default tseslint.config({ ignores: ["dist/**", "node_modules/**", "**/*.d.ts"] }, ...tseslint.configs.recommended, {
  rules: {
    "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
    "@typescript-eslint/consistent-type-imports": "error",
    "no-restricted-imports": ["error", { patterns: [{ group: ["@mina-local/*/src/*", "../../*/src/*"], message: "import a package through its public entry" }] }],
  },
});
