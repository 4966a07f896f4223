/** Renders rows as a fixed-width text table (the bench's printout). Pure. */
export function renderTable(headers: string[], rows: string[][]): string {
  const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? "").length)));
  const line = (cells: string[]) => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i] ?? 0) : c.padStart(widths[i] ?? 0))).join("  ");
  return [line(headers), widths.map((w) => "-".repeat(w)).join("  "), ...rows.map(line)].join("\n");
}

export const fmtInt = (n: number | undefined): string => (n === undefined || Number.isNaN(n) ? "-" : Math.round(n).toLocaleString("en-US"));
export const fmt1 = (n: number | undefined): string => (n === undefined || Number.isNaN(n) ? "-" : n.toFixed(1));
export const fmt2 = (n: number | undefined): string => (n === undefined || Number.isNaN(n) ? "-" : n.toFixed(2));
