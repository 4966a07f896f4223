import type { FilterAst, PathStep } from "./ast.js";
import { parseFilter } from "./parser.js";

/*
 * Semantics:
 * - an access path that does not exist (missing key, index out of range, stepping into a
 *   non-object) is `null`, which equals only `null`;
 * - `==` / `!=` compare JSON values structurally (no coercion: "5" is not 5);
 * - `in` is true when the value equals an element of the list;
 * - `match` is true when the value is a string the regex matches (anything else: false);
 * - a bare value, and the operands of `!`, `&&`, `||`, are tested for truthiness:
 *   null, false, 0 and "" are false, everything else (objects, lists, other values) true.
 */

type Evaluator = (root: unknown) => unknown;

/** Evaluates a parsed filter against one value (usually a parsed log line). */
export function evaluateFilter(ast: FilterAst, value: unknown): boolean {
  return truthy(compile(ast)(value));
}

/** Parses once and returns a fast predicate; throws LogprocSyntaxError on a bad filter. */
export function compileFilter(expression: string): (value: unknown) => boolean {
  const evaluate = compile(parseFilter(expression));
  return (value) => truthy(evaluate(value));
}

/** Compiles an already parsed filter into a predicate. */
export function compileFilterAst(ast: FilterAst): (value: unknown) => boolean {
  const evaluate = compile(ast);
  return (value) => truthy(evaluate(value));
}

export function truthy(value: unknown): boolean {
  return value !== null && value !== undefined && value !== false && value !== 0 && value !== "";
}

function compile(ast: FilterAst): Evaluator {
  switch (ast.kind) {
    case "literal": {
      const value = ast.value;
      return () => value;
    }
    case "access":
      return compileAccess(ast.path);
    case "not": {
      const operand = compile(ast.operand);
      return (root) => !truthy(operand(root));
    }
    case "and": {
      const left = compile(ast.left);
      const right = compile(ast.right);
      return (root) => truthy(left(root)) && truthy(right(root));
    }
    case "or": {
      const left = compile(ast.left);
      const right = compile(ast.right);
      return (root) => truthy(left(root)) || truthy(right(root));
    }
    case "compare": {
      const left = compile(ast.left);
      const right = compile(ast.right);
      return ast.op === "==" ? (root) => jsonEqual(left(root), right(root)) : (root) => !jsonEqual(left(root), right(root));
    }
    case "in": {
      const value = compile(ast.value);
      const list = compile(ast.list);
      return (root) => {
        const items = list(root);
        if (!Array.isArray(items)) return false;
        const v = value(root);
        // The common case (`.level in ["Spam","Debug"]`) compares primitives: skip jsonEqual.
        if (v === null || typeof v !== "object") return items.includes(v);
        return items.some((item) => jsonEqual(v, item));
      };
    }
    case "match": {
      const value = compile(ast.value);
      const regex = ast.regex;
      return (root) => {
        const v = value(root);
        return typeof v === "string" && regex.test(v);
      };
    }
  }
}

function compileAccess(path: readonly PathStep[]): Evaluator {
  return (root) => {
    let current: unknown = root;
    for (const step of path) {
      if (current === null || typeof current !== "object") return null;
      if (typeof step === "number") {
        if (!Array.isArray(current)) return null;
        const index = step < 0 ? current.length + step : step;
        current = index >= 0 && index < current.length ? current[index] : null;
      } else {
        // Own properties only: `.constructor` or `.__proto__` must not reach JavaScript internals.
        if (Array.isArray(current) || !Object.hasOwn(current, step)) return null;
        current = (current as Record<string, unknown>)[step];
      }
    }
    return current === undefined ? null : current;
  };
}

export function jsonEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (a === null || b === null || typeof a !== "object" || typeof b !== "object") {
    return (a === undefined && b === null) || (a === null && b === undefined);
  }
  if (Array.isArray(a)) {
    if (!Array.isArray(b) || a.length !== b.length) return false;
    return a.every((item, i) => jsonEqual(item, b[i]));
  }
  if (Array.isArray(b)) return false;
  const ka = Object.keys(a);
  const kb = Object.keys(b);
  if (ka.length !== kb.length) return false;
  return ka.every((k) => Object.hasOwn(b, k) && jsonEqual((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]));
}
