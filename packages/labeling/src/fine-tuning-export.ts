import { join } from "node:path";
import { ConfigError, GRADES, type Grade, Rng } from "@mine-refine/core";
import { renderSystemPrompt, renderUserPrompt } from "./guideline.js";
import type { GradedPair } from "./judge.js";
import { writeFileAtomic } from "./atomic-write.js";

export interface FineTuningExportOptions {
  outDir: string;
  /** Share of each grade's pairs that goes to `validation.jsonl`, in [0, 1). */
  validationFraction: number;
  seed: number;
}

export interface FineTuningExport {
  trainPath: string;
  validationPath: string;
  /** Example counts indexed by grade. */
  trainCounts: number[];
  validationCounts: number[];
}

/**
 * Writes chat-format fine-tuning data: one `{"messages": [system, user, assistant]}` line per pair,
 * with the guideline as system message, the rendered pair as user message and `{"grade":G}` as the
 * assistant reply. The split is stratified by grade: within each grade a seeded shuffle puts
 * round(count × validationFraction) pairs into `validation.jsonl` and the rest into `train.jsonl`.
 * Both files are written atomically.
 *
 * NOTE: the split is by pair, not by query, so one query can appear in both files; split by query
 * first when the validation score must measure unseen queries.
 */
export async function exportFineTuningJsonl(pairs: readonly GradedPair[], options: FineTuningExportOptions): Promise<FineTuningExport> {
  const { validationFraction } = options;
  if (!(validationFraction >= 0 && validationFraction < 1)) {
    throw new ConfigError("exportFineTuningJsonl options", [{ path: "validationFraction", message: `expected a number in [0, 1), received ${validationFraction}` }]);
  }

  const rng = new Rng(options.seed);
  const train: GradedPair[] = [];
  const validation: GradedPair[] = [];
  const trainCounts = GRADES.map(() => 0);
  const validationCounts = GRADES.map(() => 0);
  for (const grade of GRADES) {
    const group = rng.fork(`grade-${grade}`).shuffle(pairs.filter((pair) => pair.grade === grade));
    const validationSize = Math.round(group.length * validationFraction);
    validation.push(...group.slice(0, validationSize));
    train.push(...group.slice(validationSize));
    validationCounts[grade] = validationSize;
    trainCounts[grade] = group.length - validationSize;
  }
  // Grades would otherwise sit in blocks, which some fine-tuning services read in file order.
  rng.fork("train-order").shuffle(train);
  rng.fork("validation-order").shuffle(validation);

  const systemPrompt = renderSystemPrompt();
  const trainPath = join(options.outDir, "train.jsonl");
  const validationPath = join(options.outDir, "validation.jsonl");
  await writeFileAtomic(trainPath, toJsonl(train, systemPrompt));
  await writeFileAtomic(validationPath, toJsonl(validation, systemPrompt));
  return { trainPath, validationPath, trainCounts, validationCounts };
}

/** Builds the chat-format fine-tuning example for one graded pair. */
export function fineTuningExample(pair: GradedPair, systemPrompt = renderSystemPrompt()): { messages: { role: string; content: string }[] } {
  return {
    messages: [
      { role: "system", content: systemPrompt },
      { role: "user", content: renderUserPrompt(pair) },
      { role: "assistant", content: JSON.stringify({ grade: pair.grade satisfies Grade }) },
    ],
  };
}

function toJsonl(pairs: readonly GradedPair[], systemPrompt: string): string {
  return pairs.map((pair) => `${JSON.stringify(fineTuningExample(pair, systemPrompt))}\n`).join("");
}
