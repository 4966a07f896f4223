// `pnpm test:unit`: every package's tests that need neither Docker, nor nats-server, nor
// Chromium, in one vitest process, for the edit-test loop. The naming says which is which:
// *.docker.test.ts (Docker), *.nats.test.ts (a real nats-server), *.browser.test.ts (Chromium).
import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["{packages,apps,tooling}/*/src/**/*.test.ts"],
    exclude: ["**/node_modules/**", "**/dist/**", "**/*.docker.test.ts", "**/*.nats.test.ts", "**/*.browser.test.ts"],
  },
});
