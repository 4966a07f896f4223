// `pnpm test:unit`: the edit-test loop. Every package's tests from their TypeScript sources (the
// `development` condition; no build), in one vitest process, except those that need more than
// Node. A test file's name says what it needs: *.docker.test.ts (Docker), *.nats.test.ts (a
// nats-server), *.browser.test.ts (Chromium), *.bin.test.ts (a built bin: dist/, `pnpm build`),
// *.slow.test.ts (many seconds of CPU, e.g. Mina's real argon2i key derivation). `pnpm test` (CI)
// builds and runs them all, each package in its own vitest run with every file isolated.
import { defineConfig } from "vitest/config";

const exclude = ["**/node_modules/**", "**/dist/**", "**/*.docker.test.ts", "**/*.nats.test.ts", "**/*.browser.test.ts", "**/*.bin.test.ts", "**/*.slow.test.ts"];

// Isolated (a fresh module graph a file): the simulator's tests (zkapp/mina-logic.test.ts checks
// that importing the daemon does not load o1js' logic, which another file may have loaded; its
// network tests run processes of their own), the forwarder's (FIFO file descriptors, process
// signals) and the one that stubs globals. Unisolated runs of those made a worker exit
// unexpectedly in 3 of 5 runs on 2026-12-02. Every other file shares its worker's modules: that
// saves a module graph a file, a third of the CPU (docs/benchmarks.md).
const isolated = ["apps/daemon-sim/src/**/*.test.ts", "packages/log-forwarder/src/**/*.test.ts", "packages/engine/src/test-config.fuzz.test.ts"];

export default defineConfig({
  test: {
    // the fuzz and torture tests run a tenth of their cases here (QUICK_TESTS=1); pnpm test runs them all
    env: { QUICK_TESTS: "1" },
    // More workers than cores: the simulator network tests mostly wait on their block windows,
    // and other files' CPU fills those waits. On a loaded machine pass --maxWorkers=1: network
    // tests then keep their timing.
    maxWorkers: 3,
    projects: [
      { extends: true, test: { name: "isolated", include: isolated, exclude, isolate: true } },
      { extends: true, test: { name: "shared", include: ["{packages,apps,tooling}/*/src/**/*.test.ts"], exclude: [...exclude, ...isolated], isolate: false } },
    ],
  },
});
