import { GRADE_MODERATE, GRADE_RELEVANT, type Grade } from "@mine-refine/core";
import { type ChosenThresholds, chooseThresholds, type ThresholdReport, thresholdReport } from "../thresholds.js";
import { hasEveryGrade, poolScores, precisionRecallAt, type ThresholdPoint, thresholdSweep } from "./score-distribution.js";
import { perQueryBestThresholds, type ThresholdDrift, thresholdDrift } from "./threshold-drift.js";

type ScoreGroups = ReadonlyMap<string, { scores: number[]; grades: Grade[] }>;

/** Global grade thresholds of one system: chosen on dev, applied to test, and how far they drift. */
export interface SystemThresholds {
  /** Thresholds chosen on dev by balanced accuracy; null when a grade has no dev pairs. */
  dev: ChosenThresholds | null;
  /** Precision and recall per grade on test with the dev thresholds; null without dev thresholds or test pairs. */
  test: ThresholdReport | null;
  /** Drift of the "grade ≥ 1" (moderate threshold) and "grade ≥ 2" (relevant threshold) cut. */
  drift: ThresholdDrift[];
  /** Test precision and recall over a threshold sweep, with the test point of the dev threshold. */
  curves: { minGrade: 1 | 2; points: ThresholdPoint[]; chosen?: ThresholdPoint }[];
}

/**
 * Chooses global thresholds on the dev judged pairs (`chooseThresholds`) and reports them on the
 * test pairs (`thresholdReport`). Also sweeps test precision and recall for each cut and measures
 * drift: the thresholds the same criterion picks on test, and the spread of each test query's own
 * best threshold.
 */
export function analyseThresholds(devGroups: ScoreGroups, testGroups: ScoreGroups): SystemThresholds {
  const dev = poolScores(devGroups);
  const test = poolScores(testGroups);
  const devChoice = hasEveryGrade(dev.grades) ? chooseThresholds(dev.scores, dev.grades) : null;
  const testChoice = hasEveryGrade(test.grades) ? chooseThresholds(test.scores, test.grades) : null;

  const cuts = [
    { minGrade: GRADE_MODERATE as 1, key: "moderate" as const },
    { minGrade: GRADE_RELEVANT as 2, key: "relevant" as const },
  ];
  const curves: SystemThresholds["curves"] = cuts.map(({ minGrade, key }) => {
    const points = thresholdSweep(test.scores, test.grades, minGrade);
    const threshold = devChoice?.[key];
    if (threshold === undefined || !Number.isFinite(threshold) || test.scores.length === 0) return { minGrade, points };
    return { minGrade, points, chosen: precisionRecallAt(test.scores, test.grades, minGrade, threshold) };
  });
  const drift = cuts.map(({ minGrade, key }) =>
    thresholdDrift(minGrade, devChoice?.[key] ?? null, testChoice?.[key] ?? null, perQueryBestThresholds(testGroups, minGrade).values()),
  );

  return {
    dev: devChoice,
    test: devChoice !== null && test.scores.length > 0 ? thresholdReport(devChoice, test.scores, test.grades) : null,
    drift,
    curves,
  };
}
