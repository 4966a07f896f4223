import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { chromium } from "playwright-core";
import { requireCommand } from "./require-command.js";

/** Debian's chromium (`apt-get install chromium`; .ci/run installs it). */
export const CHROMIUM = "/usr/bin/chromium";
const FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"];

export interface PageCheck {
  title: string;
  /** console messages of type error, and uncaught page errors */
  consoleErrors: string[];
  /** every request the page made that is not the page itself */
  requests: string[];
  testName: string;
  sectionHeadings: string[];
  sectionRows: string[];
  laneNodes: string[];
}

/** Opens an HTML file in a real headless Chromium (fresh, empty profile), reads what a user would see, and screenshots it. */
export async function checkPageInChromium(htmlFile: string, screenshotFile: string): Promise<PageCheck> {
  requireCommand(CHROMIUM, "apt-get install chromium");
  const profile = mkdtempSync(join(tmpdir(), "mina-local-chromium-"));
  const context = await chromium.launchPersistentContext(profile, { executablePath: CHROMIUM, headless: true, args: FLAGS, viewport: { width: 1240, height: 900 }, timeout: 60_000 });
  try {
    const page = await context.newPage();
    const consoleErrors: string[] = [];
    const requests: string[] = [];
    const url = pathToFileURL(htmlFile).href;
    page.on("console", (message) => {
      if (message.type() === "error") consoleErrors.push(message.text());
    });
    page.on("pageerror", (error) => consoleErrors.push(error.message));
    page.on("request", (request) => {
      if (request.url() !== url) requests.push(request.url());
    });
    await page.goto(url, { waitUntil: "load", timeout: 60_000 });
    const check: PageCheck = {
      title: await page.title(),
      consoleErrors,
      requests,
      testName: (await page.locator("#test-name").innerText()).trim(),
      sectionHeadings: (await page.locator("h2").allInnerTexts()).map((t) => t.trim()),
      sectionRows: await page.locator("#sections tr[data-section]").evaluateAll((rows) => rows.map((r) => r.getAttribute("data-section") ?? "")),
      laneNodes: await page.locator("#timeline g.lane").evaluateAll((lanes) => lanes.map((l) => l.getAttribute("data-node") ?? "")),
    };
    await page.screenshot({ path: screenshotFile, fullPage: true });
    return check;
  } finally {
    await context.close();
    rmSync(profile, { recursive: true, force: true });
  }
}
