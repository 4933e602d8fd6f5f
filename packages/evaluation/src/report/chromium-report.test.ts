import { copyFile, mkdir, mkdtemp, readFile, rm, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { renderHtmlReport } from "./html-report.js";
import { headlessFlags, pngSize, runChromium } from "./test/headless-chromium.js";
import { countMatches } from "./test/read-html.js";
import { sampleReportInput } from "./test/sample-input.js";

const chromium = process.env.MINE_REFINE_CHROMIUM;
const CHROMIUM_TIMEOUT_MS = 60_000;
// vitest's own limit leaves room for two Chromium runs at their deadline.
const TEST_TIMEOUT_MS = 2 * CHROMIUM_TIMEOUT_MS + 10_000;
const WINDOW = { width: 1280, height: 2400 };
// A blank 1280×2400 page compresses to a few kilobytes; charts and tables take far more.
const MIN_SCREENSHOT_BYTES = 50_000;
const ARTIFACTS_DIR = resolve(dirname(fileURLToPath(import.meta.url)), "../../.artifacts");

if (chromium === undefined || chromium === "") {
  describe("report in headless Chromium", () => {
    it.skip("needs MINE_REFINE_CHROMIUM set to a Chromium binary (source .ci/chromium.sh)", () => {});
  });
} else {
  describe("report in headless Chromium", () => {
    let workDir = "";
    let htmlPath = "";

    beforeAll(async () => {
      workDir = await mkdtemp(join(tmpdir(), "mine-refine-report-"));
      htmlPath = join(workDir, "report.html");
      await writeFile(htmlPath, renderHtmlReport(sampleReportInput()), "utf8");
    });

    afterAll(async () => {
      if (workDir !== "") await rm(workDir, { recursive: true, force: true });
    });

    it(
      "renders every chart into the DOM",
      async () => {
        const profile = await mkdtemp(join(workDir, "profile-"));
        const run = await runChromium(chromium, [...headlessFlags(profile), "--dump-dom", pathToFileURL(htmlPath).href], CHROMIUM_TIMEOUT_MS);
        expect(run.timedOut, run.stderr).toBe(false);
        expect(run.exitCode, run.stderr).toBe(0);
        expect(countMatches(run.stdout, /<svg data-chart="metric-bars"/)).toBe(3);
        expect(countMatches(run.stdout, /<svg data-chart="score-histogram"/)).toBe(2);
        expect(countMatches(run.stdout, /<svg data-chart="threshold-curves"/)).toBe(2);
        expect(countMatches(run.stdout, /<rect class="bar"/)).toBe(8);
        expect(countMatches(run.stdout, /<table id=/)).toBe(8);
      },
      TEST_TIMEOUT_MS,
    );

    it(
      "takes a full-size screenshot",
      async () => {
        const profile = await mkdtemp(join(workDir, "profile-"));
        const pngPath = join(workDir, "report.png");
        const run = await runChromium(
          chromium,
          [...headlessFlags(profile), `--screenshot=${pngPath}`, `--window-size=${WINDOW.width},${WINDOW.height}`, "--hide-scrollbars", pathToFileURL(htmlPath).href],
          CHROMIUM_TIMEOUT_MS,
        );
        expect(run.timedOut, run.stderr).toBe(false);
        expect(run.exitCode, run.stderr).toBe(0);

        const bytes = await readFile(pngPath);
        expect(pngSize(bytes)).toEqual(WINDOW);
        expect((await stat(pngPath)).size).toBeGreaterThan(MIN_SCREENSHOT_BYTES);

        // Kept for people to look at; .artifacts/ is git-ignored.
        await mkdir(ARTIFACTS_DIR, { recursive: true });
        await copyFile(pngPath, join(ARTIFACTS_DIR, "report.png"));
        await copyFile(htmlPath, join(ARTIFACTS_DIR, "report.html"));
      },
      TEST_TIMEOUT_MS,
    );
  });
}
