import { writeFile } from "node:fs/promises";
import type { Run } from "./evaluate-run.js";
import type { Qrels } from "./qrels.js";

/**
 * Formats a run in the TREC run format read by trec_eval: one line per retrieved product,
 * `queryId Q0 productId rank score runName`, with ranks from 1.
 *
 * trec_eval ignores the rank column and re-sorts by score, breaking ties by product id. So when
 * `scores` is omitted the score column is `length − rank + 1`, which keeps the given order. When
 * `scores` is given (per query, in ranking order), scores must not increase down a ranking.
 */
export function formatTrecRun(run: Run, runName: string, scores?: ReadonlyMap<string, readonly number[]>): string {
  requireToken(runName, "run name");
  const lines: string[] = [];
  for (const [queryId, ranking] of run) {
    requireToken(queryId, "query id");
    const queryScores = scores?.get(queryId);
    if (scores !== undefined && queryScores?.length !== ranking.length) {
      throw new RangeError(
        `formatTrecRun query "${queryId}" has ${ranking.length} products but ${queryScores?.length ?? 0} scores; pass one score per ranked product`,
      );
    }
    ranking.forEach((productId, position) => {
      requireToken(productId, `product id of query "${queryId}"`);
      const score = queryScores === undefined ? ranking.length - position : queryScores[position]!;
      if (!Number.isFinite(score)) {
        throw new RangeError(`formatTrecRun query "${queryId}" has score ${score} at rank ${position + 1}; scores must be finite`);
      }
      if (queryScores !== undefined && position > 0 && score > queryScores[position - 1]!) {
        throw new RangeError(
          `formatTrecRun query "${queryId}" has score ${score} at rank ${position + 1}, above the score at rank ${position}; sort each ranking by score`,
        );
      }
      lines.push(`${queryId} Q0 ${productId} ${position + 1} ${score} ${runName}`);
    });
  }
  return lines.length > 0 ? `${lines.join("\n")}\n` : "";
}

/** Formats qrels in the TREC qrels format: one line per judgment, `queryId 0 productId grade`. */
export function formatTrecQrels(qrels: Qrels): string {
  const lines: string[] = [];
  for (const [queryId, judgments] of qrels) {
    requireToken(queryId, "query id");
    for (const [productId, grade] of judgments) {
      requireToken(productId, `product id of query "${queryId}"`);
      lines.push(`${queryId} 0 ${productId} ${grade}`);
    }
  }
  return lines.length > 0 ? `${lines.join("\n")}\n` : "";
}

/** Writes `formatTrecRun` output to `path` (UTF-8), replacing any existing file. */
export async function writeTrecRun(
  path: string,
  run: Run,
  runName: string,
  scores?: ReadonlyMap<string, readonly number[]>,
): Promise<void> {
  await writeFile(path, formatTrecRun(run, runName, scores), "utf8");
}

/** Writes `formatTrecQrels` output to `path` (UTF-8), replacing any existing file. */
export async function writeTrecQrels(path: string, qrels: Qrels): Promise<void> {
  await writeFile(path, formatTrecQrels(qrels), "utf8");
}

/** TREC files are split on white space, so an id containing it would shift every later column. */
function requireToken(value: string, inputName: string): void {
  if (value.length === 0 || /\s/.test(value)) {
    throw new RangeError(`TREC ${inputName} "${value}" is empty or contains white space; map it to an id without spaces`);
  }
}
