/** JSON values as logproc sees them: what `JSON.parse` of a log line produces. */
export type JsonValue = null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue };

/** One step of an access path: an object key (`.a`, `["a"]`) or an array index (`[0]`, `[-1]` from the end). */
export type PathStep = string | number;

/** The parsed form of a logproc filter expression. `column` is 1-based, where the node starts. */
export type FilterAst =
  | { kind: "or"; left: FilterAst; right: FilterAst; column: number }
  | { kind: "and"; left: FilterAst; right: FilterAst; column: number }
  | { kind: "not"; operand: FilterAst; column: number }
  | { kind: "compare"; op: "==" | "!="; left: FilterAst; right: FilterAst; column: number }
  | { kind: "in"; value: FilterAst; list: FilterAst; column: number }
  | { kind: "match"; value: FilterAst; regex: RegExp; column: number }
  | { kind: "access"; path: PathStep[]; column: number }
  | { kind: "literal"; value: JsonValue; column: number };
