import { describe, expect, it } from "vitest";
import { compileFilter, evaluateFilter, LogprocSyntaxError, parseFilter } from "./index.js";

const line = {
  timestamp: "2026-11-26 12:00:00.123456Z",
  level: "Info",
  source: { module: "Block_producer", location: 'File "src/lib/block_producer/block_producer.ml", line 1' },
  message: "Successfully produced a new block: $breadcrumb",
  metadata: {
    peer: { host: "10.0.0.1", peer_id: "12D3KooWabc", libp2p_port: 8302 },
    "odd key": "yes",
    diffs: [{ New_node: "3Nfirst" }, { Best_tip_changed: "3Nsecond" }],
    count: 3,
    zero: 0,
    empty: "",
    flag: false,
  },
  event_id: null,
};

const keeps = (expr: string, value: unknown = line): boolean => compileFilter(expr)(value);

describe("comparison operators", () => {
  it("== and != compare strings, numbers and booleans without coercion", () => {
    expect(keeps('.level == "Info"')).toBe(true);
    expect(keeps('.level == "Debug"')).toBe(false);
    expect(keeps('.level != "Debug"')).toBe(true);
    expect(keeps('.level != "Info"')).toBe(false);
    expect(keeps(".metadata.count == 3")).toBe(true);
    expect(keeps('.metadata.count == "3"')).toBe(false);
    expect(keeps(".metadata.flag == false")).toBe(true);
    expect(keeps(".metadata.peer.libp2p_port != 8301")).toBe(true);
  });

  it("== compares lists and objects structurally, and two paths with each other", () => {
    expect(keeps(".metadata.diffs[0] == .metadata.diffs[0]")).toBe(true);
    expect(keeps(".metadata.diffs[0] == .metadata.diffs[1]")).toBe(false);
    expect(keeps('[1, "a", [true]] == [1, "a", [true]]', {})).toBe(true);
    expect(keeps('[1, "a"] == [1, "a", 2]', {})).toBe(false);
  });

  it("in tests membership in a literal list", () => {
    expect(keeps('.level in ["Spam","Debug"]')).toBe(false);
    expect(keeps('.level in ["Info","Warn"]')).toBe(true);
    expect(keeps(".metadata.count in [1, 2, 3]")).toBe(true);
    expect(keeps('.metadata.count in ["3"]')).toBe(false);
    expect(keeps(".level in []")).toBe(false);
    expect(keeps(".metadata.diffs[0] in .metadata.diffs")).toBe(true);
    expect(keeps('.metadata.diffs[0] in ["New_node"]')).toBe(false);
  });

  it("in accepts a path that holds a list", () => {
    expect(keeps('"x" in .tags', { tags: ["x", "y"] })).toBe(true);
    expect(keeps('"z" in .tags', { tags: ["x", "y"] })).toBe(false);
    expect(keeps('"x" in .tags', { tags: "x" })).toBe(false);
  });

  it("match tests a regex against strings, with flags", () => {
    expect(keeps(".message match /produced a new block/")).toBe(true);
    expect(keeps(".message match /PRODUCED/")).toBe(false);
    expect(keeps(".message match /PRODUCED/i")).toBe(true);
    expect(keeps(".message match /^Successfully.*\\$breadcrumb$/")).toBe(true);
    expect(keeps(".metadata.peer.host match /^10\\.0\\.0\\.\\d+$/")).toBe(true);
    expect(keeps(".message match /a[/]b/", { message: "a/b" })).toBe(true);
    expect(keeps(".message match /a\\/b/", { message: "a/b" })).toBe(true);
    expect(keeps(".metadata.count match /3/")).toBe(false);
    expect(keeps(".missing match /.*/")).toBe(false);
  });

  it("a match with the same regex gives the same answer on every line", () => {
    const f = compileFilter(".message match /block/i");
    expect([f(line), f(line), f(line)]).toEqual([true, true, true]);
  });
});

describe("logical operators and precedence", () => {
  it("! negates, && and || combine", () => {
    expect(keeps('!(.level in ["Spam","Debug"])')).toBe(true);
    expect(keeps('!(.level in ["Spam","Debug"])', { ...line, level: "Debug" })).toBe(false);
    expect(keeps('.level == "Info" && .metadata.count == 3')).toBe(true);
    expect(keeps('.level == "Info" && .metadata.count == 4')).toBe(false);
    expect(keeps('.level == "Warn" || .metadata.count == 3')).toBe(true);
    expect(keeps('.level == "Warn" || .metadata.count == 4')).toBe(false);
  });

  it("!a && b || c groups as ((!a) && b) || c", () => {
    const f = compileFilter("!.a && .b || .c");
    for (const a of [false, true]) {
      for (const b of [false, true]) {
        for (const c of [false, true]) {
          expect(f({ a, b, c }), `a=${a} b=${b} c=${c}`).toBe((!a && b) || c);
        }
      }
    }
    expect(parseFilter("!.a && .b || .c")).toMatchObject({ kind: "or", left: { kind: "and", left: { kind: "not" } } });
  });

  it("&& binds tighter than ||, parentheses override", () => {
    const value = { a: true, b: false, c: false };
    expect(keeps(".a || .b && .c", value)).toBe(true);
    expect(keeps("(.a || .b) && .c", value)).toBe(false);
  });

  it("comparison binds tighter than && and ||", () => {
    expect(parseFilter('.a == 1 && .b != "x" || .c in [1]')).toMatchObject({
      kind: "or",
      left: { kind: "and", left: { kind: "compare", op: "==" }, right: { kind: "compare", op: "!=" } },
      right: { kind: "in" },
    });
  });

  it("! binds tighter than comparison", () => {
    expect(parseFilter("!.a == true")).toMatchObject({ kind: "compare", left: { kind: "not" } });
    expect(keeps("!.a == true", { a: false })).toBe(true);
    expect(keeps("!!.a", { a: 1 })).toBe(true);
  });
});

describe("access paths", () => {
  it("reads nested fields, quoted keys, indices and negative indices", () => {
    expect(keeps('.metadata.peer.host == "10.0.0.1"')).toBe(true);
    expect(keeps('.metadata["odd key"] == "yes"')).toBe(true);
    expect(keeps('.metadata["peer"]["host"] == "10.0.0.1"')).toBe(true);
    expect(keeps('.metadata.diffs[1].Best_tip_changed == "3Nsecond"')).toBe(true);
    expect(keeps('.metadata.diffs[-1].Best_tip_changed == "3Nsecond"')).toBe(true);
    expect(keeps(".source.location match /block_producer\\.ml/")).toBe(true);
  });

  it("a missing path is null: it equals only null", () => {
    expect(keeps(".metadata.nope == null")).toBe(true);
    expect(keeps('.metadata.nope == ""')).toBe(false);
    expect(keeps(".metadata.nope == false")).toBe(false);
    expect(keeps(".metadata.nope == 0")).toBe(false);
    expect(keeps('.metadata.nope != "x"')).toBe(true);
    expect(keeps(".metadata.diffs[7] == null")).toBe(true);
    expect(keeps(".level.deeper == null")).toBe(true);
    expect(keeps(".metadata.peer[0] == null")).toBe(true);
    expect(keeps('.metadata.diffs["0"] == null')).toBe(true);
    expect(keeps(".event_id == null")).toBe(true);
    expect(keeps(".x == null", "not an object")).toBe(true);
  });

  it("does not reach JavaScript internals", () => {
    expect(keeps(".constructor == null")).toBe(true);
    expect(keeps(".metadata.__proto__ == null")).toBe(true);
    expect(keeps(".level.length == null")).toBe(true);
  });
});

describe("bare values are truthy-tested", () => {
  it("null, false, 0 and empty string are false; anything else is true", () => {
    expect(keeps(".metadata.peer")).toBe(true);
    expect(keeps(".metadata.count")).toBe(true);
    expect(keeps(".metadata.nope")).toBe(false);
    expect(keeps(".metadata.flag")).toBe(false);
    expect(keeps(".metadata.zero")).toBe(false);
    expect(keeps(".metadata.empty")).toBe(false);
    expect(keeps("true")).toBe(true);
    expect(keeps("false")).toBe(false);
    expect(keeps("!.metadata.nope")).toBe(true);
  });
});

describe("literals", () => {
  it("parses strings with escapes, negative and decimal numbers, nested lists", () => {
    expect(parseFilter('"a\\"b\\n\\u0041"')).toMatchObject({ kind: "literal", value: 'a"b\nA' });
    expect(parseFilter("-12")).toMatchObject({ kind: "literal", value: -12 });
    expect(parseFilter("1.5")).toMatchObject({ kind: "literal", value: 1.5 });
    expect(parseFilter('[1, ["x", true], null]')).toMatchObject({ kind: "literal", value: [1, ["x", true], null] });
  });

  it("evaluateFilter works on a parsed AST", () => {
    const ast = parseFilter('.level in ["Info"] && .metadata.peer.libp2p_port == 8302');
    expect(evaluateFilter(ast, line)).toBe(true);
    expect(evaluateFilter(ast, { ...line, level: "Spam" })).toBe(false);
  });
});

describe("syntax errors point at the column", () => {
  const cases: Array<[string, number, RegExp]> = [
    [".level == ", 11, /expected a value after '=='/],
    [".level ==", 10, /expected a value after '=='/],
    ["", 1, /empty filter/],
    ['.level = "Info"', 8, /compare with '=='/],
    ['.a == "x" & .b', 11, /use '&&'/],
    [".a | .b", 4, /use '\|\|'/],
    ['!(.level in ["Spam","Debug"]', 29, /missing '\)' to close the '\(' at column 2/],
    ['.level in ["Spam" "Debug"]', 19, /expected ',' or ']' in the list/],
    ['.level in ["Spam",', 19, /missing '\]'/],
    [".level in .", 12, /expected a field name after '.'/],
    [".level in 3", 11, /expected a list/],
    ['.a == "abc', 7, /unterminated string/],
    [".message match /abc", 16, /unterminated regex/],
    [".message match abc", 16, /expected \/regex\/ after 'match'/],
    [".message match /a/x", 19, /unknown regex flag 'x'/],
    [".message match /a/g", 19, /unknown regex flag 'g'/],
    [".message match /(/", 16, /invalid regex/],
    [".a.", 4, /expected a field name after '\.'/],
    [".a[", 4, /expected "key" or an integer index/],
    [".a[1", 5, /expected '\]' to close the '\[' at column 3/],
    [".a[1.5]", 4, /expected an integer index/],
    ['level == "Info"', 1, /unknown word 'level': field accesses start with '\.' \(\.level\)/],
    [".a && ", 7, /expected a value after '&&'/],
    [".a || )", 7, /expected a value after '\|\|', found '\)'/],
    [".a )", 4, /unmatched '\)'/],
    [".a .b", 4, /unexpected '\.'/],
    ["!", 2, /expected a value after '!'/],
    ['"\\q"', 2, /invalid escape/],
    ["12abc", 3, /after a number/],
  ];

  it.each(cases)("%j fails at column %i", (expr, column, reason) => {
    let caught: unknown;
    try {
      parseFilter(expr);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(LogprocSyntaxError);
    const error = caught as LogprocSyntaxError;
    expect(error.column).toBe(column);
    expect(error.message).toMatch(reason);
    expect(error.message.startsWith(`logproc: syntax error at column ${column}: `)).toBe(true);
  });

  it("shows the expression with a caret under the column", () => {
    expect(() => parseFilter(".level == ")).toThrow("logproc: syntax error at column 11: expected a value after '=='\n  .level == \n            ^");
  });

  it("compileFilter throws the same error", () => {
    expect(() => compileFilter('.level in ["Spam"')).toThrow(LogprocSyntaxError);
  });
});
