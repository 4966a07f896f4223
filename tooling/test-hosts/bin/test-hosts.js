#!/usr/bin/env node
// The built CLI (`pnpm build` writes dist/).
await import("../dist/src/cli.js");
