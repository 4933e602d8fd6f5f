import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { GRADE_IRRELEVANT, GRADE_MODERATE, GRADE_RELEVANT, type Grade } from "@mine-refine/core";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { exportFineTuningJsonl } from "./fine-tuning-export.js";
import { renderSystemPrompt } from "./guideline.js";
import type { GradedPair } from "./judge.js";
import { makeGradedPair, makePair } from "./test/pairs.js";

interface Example {
  messages: { role: string; content: string }[];
}

function pairsWithGrades(counts: [Grade, number][]): GradedPair[] {
  const pairs: GradedPair[] = [];
  for (const [grade, count] of counts) {
    for (let i = 0; i < count; i++) pairs.push(makeGradedPair(makePair(`q${grade}-${i}`, `query ${grade} ${i}`, `p${grade}-${i}`, `title ${grade} ${i}`), grade));
  }
  return pairs;
}

async function readExamples(path: string): Promise<Example[]> {
  const text = await readFile(path, "utf8");
  return text
    .split("\n")
    .filter((line) => line !== "")
    .map((line) => JSON.parse(line) as Example);
}

function gradeOf(example: Example): number {
  return (JSON.parse(example.messages[2]?.content ?? "{}") as { grade: number }).grade;
}

describe("exportFineTuningJsonl", () => {
  let outDir: string;
  beforeEach(async () => {
    outDir = await mkdtemp(join(tmpdir(), "labeling-export-"));
  });
  afterEach(async () => {
    await rm(outDir, { recursive: true, force: true });
  });

  const pairs = pairsWithGrades([
    [GRADE_RELEVANT, 10],
    [GRADE_MODERATE, 6],
    [GRADE_IRRELEVANT, 4],
  ]);

  it("stratifies the split by grade", async () => {
    const exported = await exportFineTuningJsonl(pairs, { outDir, validationFraction: 0.5, seed: 7 });
    // round(count × 0.5) per grade: 4 → 2, 6 → 3, 10 → 5.
    expect(exported.validationCounts).toEqual([2, 3, 5]);
    expect(exported.trainCounts).toEqual([2, 3, 5]);
    const validation = await readExamples(exported.validationPath);
    expect([0, 1, 2].map((grade) => validation.filter((example) => gradeOf(example) === grade).length)).toEqual([2, 3, 5]);
  });

  it("writes every pair exactly once", async () => {
    const exported = await exportFineTuningJsonl(pairs, { outDir, validationFraction: 0.25, seed: 7 });
    const all = [...(await readExamples(exported.trainPath)), ...(await readExamples(exported.validationPath))];
    const users = all.map((example) => example.messages[1]?.content ?? "");
    expect(users.length).toBe(pairs.length);
    expect(new Set(users).size).toBe(pairs.length);
  });

  it("writes chat-format lines", async () => {
    const exported = await exportFineTuningJsonl(pairs, { outDir, validationFraction: 0.25, seed: 7 });
    const [example] = await readExamples(exported.trainPath);
    expect(example?.messages.map((message) => message.role)).toEqual(["system", "user", "assistant"]);
    expect(example?.messages[0]?.content).toBe(renderSystemPrompt());
    expect(example?.messages[2]?.content).toMatch(/^\{"grade":[012]\}$/u);
  });

  it("repeats the split for a seed", async () => {
    const first = await exportFineTuningJsonl(pairs, { outDir, validationFraction: 0.3, seed: 11 });
    const firstText = await readFile(first.validationPath, "utf8");
    const second = await exportFineTuningJsonl(pairs, { outDir, validationFraction: 0.3, seed: 11 });
    expect(await readFile(second.validationPath, "utf8")).toBe(firstText);
  });

  it("rejects a fraction of 1", async () => {
    await expect(exportFineTuningJsonl(pairs, { outDir, validationFraction: 1, seed: 1 })).rejects.toThrow(/validationFraction/u);
  });
});
