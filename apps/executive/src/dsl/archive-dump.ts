/**
 * Reads the tables of a `pg_dump` (plain format: `COPY public.<table> (<columns>) FROM stdin;`,
 * one tab-separated row per line, `\.` to end) into rows keyed by column. Pure: it lets a test
 * check what an archive holds from the very dump Mina's `dump_archive_data` writes.
 */
export type DumpRow = Record<string, string | null>;

const COPY_LINE = /^COPY public\.([a-z_]+) \(([^)]*)\) FROM stdin;$/;

function unescape(field: string): string | null {
  if (field === "\\N") return null;
  return field.replace(/\\(.)/g, (_all, c: string) => ({ t: "\t", n: "\n", r: "\r", "\\": "\\" })[c] ?? c);
}

export function dumpTables(sql: string): Map<string, DumpRow[]> {
  const tables = new Map<string, DumpRow[]>();
  const lines = sql.split("\n");
  for (let i = 0; i < lines.length; i++) {
    const copy = COPY_LINE.exec(lines[i] ?? "");
    if (!copy) continue;
    const table = copy[1] ?? "";
    const columns = (copy[2] ?? "").split(", ").map((c) => c.replace(/^"|"$/g, ""));
    const rows: DumpRow[] = [];
    for (i++; i < lines.length && lines[i] !== "\\."; i++) {
      const fields = (lines[i] ?? "").split("\t");
      rows.push(Object.fromEntries(columns.map((column, c) => [column, unescape(fields[c] ?? "\\N")])));
    }
    tables.set(table, rows);
  }
  return tables;
}
