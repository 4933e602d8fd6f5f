import { type Grade, murmur3 } from "@mine-refine/core";
import { describe, expect, it } from "vitest";
import { evaluateJudge, formatJudgeEvaluation } from "./evaluate-judge.js";
import { pairKey } from "./judge.js";
import { LocalJudge } from "./local-judge.js";
import { readHomeDepotSample } from "./test/home-depot-sample.js";

const dataDir = process.env.MINE_REFINE_DATA_DIR;
const SAMPLE_ROWS = 12_000;

describe.skipIf(dataDir === undefined)("LocalJudge on Home Depot", () => {
  it("beats the majority baseline", async () => {
    const pairs = await readHomeDepotSample(dataDir as string, SAMPLE_ROWS);
    // One query in five, chosen by hash, is held out, so no test query is seen in training.
    const isTest = (queryId: string): boolean => murmur3(queryId, 17) % 5 === 0;
    const train = pairs.filter((pair) => !isTest(pair.queryId));
    const test = pairs.filter((pair) => isTest(pair.queryId));
    const judge = LocalJudge.train(train, { seed: 1, epochs: 30 });
    const truth = new Map<string, Grade>(test.map((pair) => [pairKey(pair.queryId, pair.productId), pair.grade]));
    const report = evaluateJudge(await judge.grade(test), truth);
    console.info(`Home Depot, first ${SAMPLE_ROWS} rows, ${train.length} train and ${test.length} test pairs:\n${formatJudgeEvaluation(report)}`);

    expect(report.accuracy).toBeGreaterThan(report.majorityBaseline.accuracy);
    expect(report.quadraticKappa).toBeGreaterThan(0.1);
  }, 60_000);
});

if (dataDir === undefined) {
  describe("LocalJudge on Home Depot", () => {
    it.skip("needs MINE_REFINE_DATA_DIR set to the folder that contains homedepot-kaggle/", () => {});
  });
}
