import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { EventIdTable } from "@mina-local/engine";
import type { ModuleLogger } from "../logger.js";
import type { TestReport } from "../report/model.js";
import { renderJunitReport, renderTextReport } from "../report/render.js";
import { writeHtmlReport } from "../report/html/write-html.js";

/** report.json, report.xml, report.txt and report.html in the run directory; a failure to write them is logged, never thrown. */
export function writeReports(runDir: string, result: TestReport, table: EventIdTable | undefined, log: ModuleLogger): void {
  try {
    mkdirSync(runDir, { recursive: true, mode: 0o700 });
    writeFileSync(join(runDir, "report.json"), `${JSON.stringify(result, null, 2)}\n`, { mode: 0o600 });
    writeFileSync(join(runDir, "report.xml"), renderJunitReport(result), { mode: 0o600 });
    writeFileSync(join(runDir, "report.txt"), renderTextReport(result), { mode: 0o600 });
    writeHtmlReport(result, table);
  } catch (error) {
    log.error({ error: String(error) }, "Could not write the report files: $error");
  }
}
