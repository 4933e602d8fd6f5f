import { existsSync } from "node:fs";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { calibrateFromClickLog } from "./calibrate-click-log.js";
import { fitZipfExponent } from "./power-law.js";

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "audit-calibrate-"));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe("fitZipfExponent", () => {
  it("recovers the exponent of exact Zipf counts", () => {
    // Counts proportional to r^-1.5 for r = 1..200, scaled up so rounding is negligible.
    const counts = Array.from({ length: 200 }, (_, i) => Math.round(1e7 * (i + 1) ** -1.5));
    expect(fitZipfExponent([counts])).toBeCloseTo(1.5, 3);
  });

  it("returns 0 for equal counts", () => {
    expect(fitZipfExponent([[50, 50, 50, 50]])).toBeCloseTo(0, 6);
  });
});

describe("calibrateFromClickLog", () => {
  it("counts clicks, queries and distinct products", async () => {
    const path = join(dir, "clicks.csv");
    // "Halo" and "halo " normalise to one query with 3 clicks on 2 SKUs; "fifa" has 1 click.
    await writeFile(path, "user,sku,category,query,click_time,query_time\nu1,1,c,Halo,t,t\nu2,1,c,halo ,t,t\nu3,2,c,halo,t,t\nu4,3,c,fifa,t,t\n");
    const calibration = await calibrateFromClickLog(path);
    expect(calibration.queryCount).toBe(2);
    expect(calibration.meanClicksPerQuery).toBe(2);
    expect(calibration.distinctClickedProducts.mean).toBe(1.5);
    expect(calibration.distinctClickedProducts.shareByCount.slice(0, 2)).toEqual([0.5, 0.5]);
  });

  const dataDir = process.env.MINE_REFINE_DATA_DIR;
  const clickLog = dataDir === undefined ? "" : join(dataDir, "bestbuy-acm-small", "train.csv");
  it.skipIf(!existsSync(clickLog))("fits the Best Buy log (set MINE_REFINE_DATA_DIR to run)", async () => {
    const calibration = await calibrateFromClickLog(clickLog);
    expect(calibration.clickCount).toBe(33_892);
    expect(calibration.queryFrequencyExponent).toBeCloseTo(1.048, 3);
  });
});
