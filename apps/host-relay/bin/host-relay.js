#!/usr/bin/env node
// The built relay (`pnpm build` writes dist/); the image runs a bundle of src/cli.ts instead.
await import("../dist/src/cli.js");
