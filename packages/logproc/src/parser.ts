import type { FilterAst, JsonValue, PathStep } from "./ast.js";
import { LogprocSyntaxError } from "./syntax-error.js";

/*
 * Recursive descent over the characters (no separate token pass: `/` starts a regex only
 * after `match`, so the scanner needs the parser's context).
 *
 *   filter     := or
 *   or         := and ('||' and)*
 *   and        := comparison ('&&' comparison)*
 *   comparison := unary (('==' | '!=') unary | 'in' (list | access) | 'match' /regex/flags)?
 *   unary      := '!' unary | primary
 *   primary    := '(' or ')' | access | literal
 *   access     := '.' name ('.' name | '[' "key" ']' | '[' int ']')*
 *   literal    := true | false | null | number | "string" | list
 *   list       := '[' (literal (',' literal)*)? ']'
 *
 * Precedence, tightest first: '!', comparison, '&&', '||'. `null` and decimal numbers
 * extend Mina's grammar so that a missing field can be tested with `== null`.
 */

const NAME_START = /[A-Za-z_]/;
const NAME_CHAR = /[A-Za-z0-9_]/;
const NUMBER = /-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?/y;
const REGEX_FLAGS = new Set(["i", "m", "s", "u"]);
const ESCAPES: Record<string, string> = { '"': '"', "\\": "\\", "/": "/", b: "\b", f: "\f", n: "\n", r: "\r", t: "\t" };

export function parseFilter(expression: string): FilterAst {
  return new Parser(expression).parseFilter();
}

class Parser {
  private pos = 0;

  constructor(private readonly src: string) {}

  parseFilter(): FilterAst {
    this.skipSpace();
    if (this.atEnd()) this.fail('empty filter: expected an expression such as .level == "Info"');
    const ast = this.parseOr("at the start");
    this.skipSpace();
    if (!this.atEnd()) {
      const rest = this.src.slice(this.pos);
      if (rest.startsWith(")")) this.fail("unmatched ')'");
      if (rest.startsWith("=") && !rest.startsWith("==")) this.fail("unexpected '=': compare with '=='");
      if (rest.startsWith("&") && !rest.startsWith("&&")) this.fail("unexpected '&': use '&&'");
      if (rest.startsWith("|") && !rest.startsWith("||")) this.fail("unexpected '|': use '||'");
      this.fail(`unexpected '${this.describeHere()}': expected '&&', '||', '==', '!=', 'in' or 'match'`);
    }
    return ast;
  }

  private parseOr(context: string): FilterAst {
    let left = this.parseAnd(context);
    for (;;) {
      this.skipSpace();
      const column = this.column();
      if (!this.eat("||")) return left;
      const right = this.parseAnd("after '||'");
      left = { kind: "or", left, right, column };
    }
  }

  private parseAnd(context: string): FilterAst {
    let left = this.parseComparison(context);
    for (;;) {
      this.skipSpace();
      const column = this.column();
      if (!this.eat("&&")) return left;
      const right = this.parseComparison("after '&&'");
      left = { kind: "and", left, right, column };
    }
  }

  private parseComparison(context: string): FilterAst {
    const left = this.parseUnary(context);
    this.skipSpace();
    const column = this.column();
    for (const op of ["==", "!="] as const) {
      if (this.eat(op)) return { kind: "compare", op, left, right: this.parseUnary(`after '${op}'`), column };
    }
    if (this.eatKeyword("in")) {
      this.skipSpace();
      const c = this.peek();
      if (c !== "[" && c !== ".") this.fail('expected a list such as ["Spam","Debug"] after \'in\'');
      const list = c === "[" ? this.parseList() : this.parseAccess();
      return { kind: "in", value: left, list, column };
    }
    if (this.eatKeyword("match")) return { kind: "match", value: left, regex: this.parseRegex(), column };
    return left;
  }

  private parseUnary(context: string): FilterAst {
    this.skipSpace();
    const column = this.column();
    if (this.peek() === "!" && this.src[this.pos + 1] !== "=") {
      this.pos++;
      return { kind: "not", operand: this.parseUnary("after '!'"), column };
    }
    return this.parsePrimary(context);
  }

  private parsePrimary(context: string): FilterAst {
    this.skipSpace();
    const column = this.column();
    const c = this.peek();
    if (c === "(") {
      this.pos++;
      const inner = this.parseOr("after '('");
      this.skipSpace();
      if (!this.eat(")")) this.fail(this.atEnd() ? `missing ')' to close the '(' at column ${column}` : `expected ')' to close the '(' at column ${column}, found '${this.describeHere()}'`);
      return inner;
    }
    if (c === ".") return this.parseAccess();
    if (c === undefined || !this.startsValue(c)) {
      const found = this.atEnd() ? "" : `, found '${this.describeHere()}'`;
      this.fail(`expected a value ${context}${found}`);
    }
    return { kind: "literal", value: this.parseLiteral(), column };
  }

  private startsValue(c: string): boolean {
    return c === '"' || c === "[" || c === "-" || (c >= "0" && c <= "9") || NAME_START.test(c);
  }

  private parseAccess(): FilterAst {
    const column = this.column();
    const path: PathStep[] = [];
    this.pos++; // the leading '.'
    path.push(this.parseName());
    for (;;) {
      const c = this.peek();
      if (c === ".") {
        this.pos++;
        path.push(this.parseName());
      } else if (c === "[") {
        const open = this.column();
        this.pos++;
        this.skipSpace();
        const k = this.peek();
        if (k === '"') path.push(this.parseString());
        else if (k !== undefined && (k === "-" || (k >= "0" && k <= "9"))) {
          const n = this.parseNumber();
          if (!Number.isInteger(n)) this.fail("expected an integer index", open + 1);
          path.push(n);
        } else this.fail(`expected "key" or an integer index after '['`);
        this.skipSpace();
        if (!this.eat("]")) this.fail(`expected ']' to close the '[' at column ${open}`);
      } else {
        return { kind: "access", path, column };
      }
    }
  }

  private parseName(): string {
    const start = this.pos;
    if (!NAME_START.test(this.peek() ?? "")) this.fail(`expected a field name after '.' (use .["key"] for other keys)`);
    while (NAME_CHAR.test(this.peek() ?? "")) this.pos++;
    return this.src.slice(start, this.pos);
  }

  private parseLiteral(): JsonValue {
    this.skipSpace();
    const c = this.peek();
    if (c === '"') return this.parseString();
    if (c === "[") {
      const list = this.parseList();
      return list.kind === "literal" ? list.value : null;
    }
    if (c === "-" || (c !== undefined && c >= "0" && c <= "9")) return this.parseNumber();
    for (const [word, value] of [
      ["true", true],
      ["false", false],
      ["null", null],
    ] as const) {
      if (this.eatKeyword(word)) return value;
    }
    if (c !== undefined && NAME_START.test(c)) {
      const start = this.pos;
      while (NAME_CHAR.test(this.peek() ?? "")) this.pos++;
      const word = this.src.slice(start, this.pos);
      this.fail(`unknown word '${word}': field accesses start with '.' (.${word}), strings are quoted ("${word}")`, start + 1);
    }
    return this.fail('expected a literal (true, false, null, a number, a "string" or a [list])');
  }

  private parseList(): FilterAst {
    const column = this.column();
    this.pos++; // '['
    const items: JsonValue[] = [];
    this.skipSpace();
    if (this.eat("]")) return { kind: "literal", value: items, column };
    for (;;) {
      this.skipSpace();
      if (this.atEnd()) this.fail(`missing ']' to close the list at column ${column}`);
      items.push(this.parseLiteral());
      this.skipSpace();
      if (this.eat("]")) return { kind: "literal", value: items, column };
      if (!this.eat(",")) this.fail(this.atEnd() ? `missing ']' to close the list at column ${column}` : `expected ',' or ']' in the list, found '${this.describeHere()}'`);
    }
  }

  private parseString(): string {
    const open = this.column();
    this.pos++; // '"'
    let out = "";
    for (;;) {
      const c = this.peek();
      if (c === undefined) this.fail(`unterminated string: no closing '"' for this one`, open);
      if (c === '"') {
        this.pos++;
        return out;
      }
      if (c === "\\") {
        const e = this.src[this.pos + 1];
        if (e === "u" && /^[0-9a-fA-F]{4}$/.test(this.src.slice(this.pos + 2, this.pos + 6))) {
          out += String.fromCharCode(parseInt(this.src.slice(this.pos + 2, this.pos + 6), 16));
          this.pos += 6;
          continue;
        }
        const escaped = e === undefined ? undefined : ESCAPES[e];
        if (escaped === undefined) this.fail(`invalid escape '\\${e ?? ""}' in string`);
        out += escaped;
        this.pos += 2;
        continue;
      }
      out += c;
      this.pos++;
    }
  }

  private parseNumber(): number {
    NUMBER.lastIndex = this.pos;
    const m = NUMBER.exec(this.src);
    if (!m) this.fail("expected a number");
    this.pos += m[0].length;
    if (NAME_CHAR.test(this.peek() ?? "")) this.fail(`unexpected '${this.describeHere()}' after a number`);
    return Number(m[0]);
  }

  private parseRegex(): RegExp {
    this.skipSpace();
    const open = this.column();
    if (!this.eat("/")) this.fail("expected /regex/ after 'match'");
    const start = this.pos;
    let inClass = false;
    for (;;) {
      const c = this.peek();
      if (c === undefined) this.fail("unterminated regex: no closing '/' for this one", open);
      if (c === "\\") this.pos += 2;
      else {
        if (c === "[") inClass = true;
        else if (c === "]") inClass = false;
        else if (c === "/" && !inClass) break;
        this.pos++;
      }
    }
    const source = this.src.slice(start, this.pos);
    this.pos++; // closing '/'
    const flagsStart = this.pos;
    while (NAME_CHAR.test(this.peek() ?? "")) {
      const f = this.peek() ?? "";
      if (!REGEX_FLAGS.has(f)) this.fail(`unknown regex flag '${f}' (logproc accepts i, m, s, u)`);
      this.pos++;
    }
    const flags = [...new Set(this.src.slice(flagsStart, this.pos))].join("");
    try {
      return new RegExp(source, flags);
    } catch (cause) {
      const reason = cause instanceof Error ? cause.message : String(cause);
      return this.fail(`invalid regex: ${reason}`, open);
    }
  }

  private eat(text: string): boolean {
    if (!this.src.startsWith(text, this.pos)) return false;
    this.pos += text.length;
    return true;
  }

  /** a keyword only when not followed by a name character: `.a in [1]`, not `.a inx` */
  private eatKeyword(word: string): boolean {
    if (!this.src.startsWith(word, this.pos) || NAME_CHAR.test(this.src[this.pos + word.length] ?? "")) return false;
    this.pos += word.length;
    return true;
  }

  private skipSpace(): void {
    while (this.pos < this.src.length && /\s/.test(this.src[this.pos] ?? "")) this.pos++;
  }

  private peek(): string | undefined {
    return this.src[this.pos];
  }

  private atEnd(): boolean {
    return this.pos >= this.src.length;
  }

  private column(): number {
    return this.pos + 1;
  }

  private describeHere(): string {
    const m = /^(?:[A-Za-z0-9_]+|\S)/.exec(this.src.slice(this.pos, this.pos + 40));
    return m ? m[0] : (this.src[this.pos] ?? "");
  }

  private fail(reason: string, column = this.column()): never {
    throw new LogprocSyntaxError(this.src, column, reason);
  }
}
