#!/usr/bin/env node
// The built CLI (`pnpm build` writes dist/; the published package ships it).
await import("../dist/src/cli.js");
