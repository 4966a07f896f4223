export type { FilterAst, JsonValue, PathStep } from "./ast.js";
export { LogprocSyntaxError } from "./syntax-error.js";
export { parseFilter } from "./parser.js";
export { compileFilter, compileFilterAst, evaluateFilter, jsonEqual, truthy } from "./evaluate.js";
export { INTERPOLATIONS, formatLine, interpolate, processLine } from "./format.js";
export type { FormatOptions, FormattableLine, Interpolation, ProcessOptions } from "./format.js";
export { USAGE, forEachLineBatch, runLogproc } from "./run.js";
export type { LogprocIo } from "./run.js";
