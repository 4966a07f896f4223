import { mkdtempSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, expect, it } from "vitest";
import { checkPageInChromium } from "../../testing/browser.js";
import { renderHtmlReport } from "./render-html.js";
import { SAMPLE_EVENTS, SAMPLE_NODES, SAMPLE_REPORT } from "../../testing/report-sample.js";
import { runStory } from "./run-story.js";

// The page in a real headless Chromium (Debian's), on a sample run: no console error, no
// request, and what a user must see. The Docker test does the same on a real run's page.
const dir = mkdtempSync(join(tmpdir(), "mina-local-report-page-"));
// MINA_LOCAL_KEEP_SCREENSHOT=1 keeps the page and its screenshot to look at
afterAll(() => (process.env.MINA_LOCAL_KEEP_SCREENSHOT ? console.log(`kept ${dir}`) : rmSync(dir, { recursive: true, force: true })));

it("opens in Chromium without console errors or requests, showing the test name, every section and one lane per node", async () => {
  const file = join(dir, "report.html");
  writeFileSync(file, renderHtmlReport(SAMPLE_REPORT, runStory(SAMPLE_NODES, SAMPLE_EVENTS, Date.parse(SAMPLE_REPORT.startedAt))));
  const page = await checkPageInChromium(file, join(dir, "report.png"));
  expect(page.consoleErrors).toEqual([]);
  expect(page.requests).toEqual([]);
  expect(page.testName).toContain("two-blocks <&>");
  expect(page.sectionHeadings).toEqual(["Sections", "Timeline", "The chain as the nodes saw it", "Log pipeline"]);
  expect(page.sectionRows).toEqual(SAMPLE_REPORT.sections.map((s) => s.name));
  expect(page.laneNodes).toEqual(SAMPLE_NODES.map((n) => n.name));
  expect(statSync(join(dir, "report.png")).size).toBeGreaterThan(10_000);
}, 120_000);
