// `pnpm test:unit`: the edit-test loop. Every package's tests from their TypeScript sources (the
// `development` condition; no build), in one vitest process, except those that need more than
// Node. A test file's name says what it needs: *.docker.test.ts (Docker), *.nats.test.ts (a
// nats-server), *.browser.test.ts (Chromium), *.bin.test.ts (a built bin: dist/, `pnpm build`),
// *.slow.test.ts (many seconds of CPU, e.g. Mina's real argon2i key derivation). `pnpm test` (CI)
// builds and runs them all, each package in its own vitest run with every file isolated.
import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["{packages,apps,tooling}/*/src/**/*.test.ts"],
    exclude: ["**/node_modules/**", "**/dist/**", "**/*.docker.test.ts", "**/*.nats.test.ts", "**/*.browser.test.ts", "**/*.bin.test.ts", "**/*.slow.test.ts"],
    // the fuzz and torture tests run a tenth of their cases here (QUICK_TESTS=1); pnpm test runs them all
    env: { QUICK_TESTS: "1" },
    // Isolated, as `pnpm test`: unisolated (one module registry a worker) saved some 40 s of CPU
    // but made module-state tests order-dependent (zkapp/mina-logic.test.ts checks that importing
    // the daemon does not load o1js' logic, which another file may have loaded) and a worker
    // exited unexpectedly in 3 of 5 runs on 2026-12-02; correctness first.
    isolate: true,
    // Workers: vitest's default, cores - 1 (one on this 2-core machine). Two here overlap the
    // simulator network tests' waits on block windows with other files' CPU, but with other
    // sessions loading the machine their timing fails (the network tests time out); on an idle
    // machine `pnpm test:unit --maxWorkers=2` is faster.
  },
});
