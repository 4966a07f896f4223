// Test helpers for other packages' Docker tests (never imported by non-test code).
export { buildTestImage, type TestImageOptions } from "./run.js";
