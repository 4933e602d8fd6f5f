/** Everything the HTML and Markdown reports show: one evaluation of several systems on one split. */
export interface ReportInput {
  title: string;
  createdAt: string;                 // ISO time
  dataset: { name: string; split: string; queries: number; products: number; judgments: number };
  /** Systems in display order; the first is the reference for significance columns. */
  systems: ReportSystem[];
  /** Metric names in display order, e.g. "ndcg@10", "recall@100", "precision@10", "mrr@10", "rerank-ndcg". */
  metrics: string[];
  /** Pairwise comparisons (system a vs b on a metric). */
  comparisons: { metric: string; a: string; b: string; meanDifference: number; ciLow: number; ciHigh: number; pValue: number }[];
  /** Segments such as locale=en, query length 1-2 words, head/torso/tail, typo-perturbed. */
  segments: { segment: string; queries: number; values: Record<string /* system */, Record<string /* metric */, number | null>> }[];
  notes?: string[];                  // free text paragraphs shown under the title
}
/** One retrieval system: its metric means and, for score-producing systems, its score distributions. */
export interface ReportSystem {
  name: string;
  kind: "lexical" | "dense" | "hybrid";
  /** metric → mean and 95% bootstrap CI over queries. */
  metrics: Record<string, { mean: number | null; ciLow?: number; ciHigh?: number }>;
  /** Score histograms of judged pairs per grade ("0", "1", "2"), on shared bin edges. */
  histogram?: { edges: number[]; counts: Record<"0" | "1" | "2", number[]> };
  /** Per grade quantiles of scores of judged pairs. */
  quantiles?: Record<"0" | "1" | "2", Record<string /* "p05","p25","p50","p75","p95" */, number>>;
  /** P(higher grade scores higher) for adjacent grades, within query and global. */
  separation?: { "2>1": { withinQuery: number | null; global: number | null }; "1>0": { withinQuery: number | null; global: number | null } };
  /** Threshold sweep for "grade >= g" on test: precision and recall at each threshold, and the chosen dev threshold. */
  thresholdCurves?: { minGrade: 1 | 2; points: { threshold: number; precision: number; recall: number }[]; chosen?: { threshold: number; precision: number; recall: number } }[];
}
