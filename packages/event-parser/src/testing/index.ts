// Test helpers for other packages' tests (never imported by non-test code).
export * from "./fixtures.js";
export * from "./real-lines.js";
