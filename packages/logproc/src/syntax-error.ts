/**
 * A filter that does not parse. The message points at the column so that a user who typed
 * the filter on a command line sees where it went wrong:
 *
 *     logproc: syntax error at column 10: expected a value after '=='
 *       .level ==
 *                ^
 */
export class LogprocSyntaxError extends Error {
  /** 1-based column of the offending character (length + 1 at the end of the input) */
  readonly column: number;
  readonly expression: string;
  /** the reason without position or excerpt */
  readonly reason: string;

  constructor(expression: string, column: number, reason: string) {
    // Tabs and newlines would misalign the caret, so the excerpt shows them as spaces.
    const excerpt = expression.replace(/[\t\r\n]/g, " ");
    super(`logproc: syntax error at column ${column}: ${reason}\n  ${excerpt}\n  ${" ".repeat(column - 1)}^`);
    this.name = "LogprocSyntaxError";
    this.column = column;
    this.expression = expression;
    this.reason = reason;
  }
}
