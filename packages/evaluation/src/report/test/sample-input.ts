import type { ReportInput } from "../types.js";

/**
 * Builds a small hand-made report input for the report tests: three systems on three metrics.
 * Hybrid has no mrr@10 mean, and recall@100 has a rounding tie (0.7000 and 0.6996 both print 0.700).
 * Comparisons are listed in both orders. BM25 and Stage 2 have histograms and threshold curves,
 * only Stage 2 has quantiles, and the second segment lacks some values.
 */
export function sampleReportInput(): ReportInput {
  return {
    title: "Home Depot test split: lexical, hybrid and Stage 2",
    createdAt: "2025-03-04T05:06:07.000Z",
    dataset: { name: "homedepot", split: "test", queries: 1180, products: 54667, judgments: 7406 },
    metrics: ["ndcg@10", "recall@100", "mrr@10"],
    notes: ["Stage 2 was trained for one epoch.", "Scores are cosine similarities except for BM25."],
    systems: [
      {
        name: "BM25",
        kind: "lexical",
        metrics: {
          "ndcg@10": { mean: 0.41234, ciLow: 0.39, ciHigh: 0.43449 },
          "recall@100": { mean: 0.6, ciLow: 0.55, ciHigh: 0.65 },
          "mrr@10": { mean: 0.6, ciLow: 0.57, ciHigh: 0.63 },
        },
        histogram: {
          edges: [0, 5, 10, 15, 20],
          counts: { "2": [1, 2, 3, 4], "1": [2, 3, 3, 2], "0": [8, 6, 4, 2] },
        },
        separation: {
          "2>1": { withinQuery: 0.55, global: 0.52 },
          "1>0": { withinQuery: 0.6, global: null },
        },
        thresholdCurves: [
          {
            minGrade: 2,
            points: [
              { threshold: 5, precision: 0.3, recall: 0.9 },
              { threshold: 10, precision: 0.4, recall: 0.7 },
              { threshold: 15, precision: 0.5, recall: 0.4 },
            ],
            chosen: { threshold: 10, precision: 0.41, recall: 0.68 },
          },
        ],
      },
      {
        name: "Hybrid",
        kind: "hybrid",
        metrics: {
          "ndcg@10": { mean: 0.45, ciLow: 0.43, ciHigh: 0.47 },
          "recall@100": { mean: 0.7, ciLow: 0.66, ciHigh: 0.74 },
          "mrr@10": { mean: null },
        },
      },
      {
        name: "Stage 2",
        kind: "dense",
        metrics: {
          "ndcg@10": { mean: 0.48951, ciLow: 0.47, ciHigh: 0.51 },
          "recall@100": { mean: 0.6996, ciLow: 0.65, ciHigh: 0.75 },
          "mrr@10": { mean: 0.58, ciLow: 0.55, ciHigh: 0.61 },
        },
        histogram: {
          edges: [0, 0.25, 0.5, 0.75, 1],
          counts: { "2": [0, 1, 3, 6], "1": [1, 3, 4, 2], "0": [10, 6, 3, 1] },
        },
        quantiles: {
          "2": { p50: 0.81, p05: 0.42, p95: 0.97, p25: 0.7, p75: 0.9 },
          "1": { p05: 0.2, p25: 0.4, p50: 0.55, p75: 0.68, p95: 0.86 },
          "0": { p05: 0.02, p25: 0.1, p50: 0.22, p75: 0.4, p95: 0.71 },
        },
        separation: {
          "2>1": { withinQuery: 0.71, global: 0.66 },
          "1>0": { withinQuery: 0.78, global: 0.74 },
        },
        thresholdCurves: [
          {
            minGrade: 2,
            points: [
              { threshold: 0.8, precision: 0.7, recall: 0.5 },
              { threshold: 0.4, precision: 0.35, recall: 0.95 },
              { threshold: 0.6, precision: 0.5, recall: 0.8 },
            ],
            chosen: { threshold: 0.6, precision: 0.52, recall: 0.78 },
          },
          {
            minGrade: 1,
            points: [
              { threshold: 0.4, precision: 0.6, recall: 0.9 },
              { threshold: 0.6, precision: 0.75, recall: 0.6 },
              { threshold: 0.8, precision: 0.85, recall: 0.3 },
            ],
            chosen: { threshold: 0.4, precision: 0.61, recall: 0.88 },
          },
        ],
      },
    ],
    comparisons: [
      { metric: "ndcg@10", a: "Stage 2", b: "BM25", meanDifference: 0.07717, ciLow: 0.05, ciHigh: 0.1, pValue: 0.0004 },
      { metric: "ndcg@10", a: "BM25", b: "Hybrid", meanDifference: -0.03766, ciLow: -0.06, ciHigh: -0.01, pValue: 0.01 },
      { metric: "recall@100", a: "Stage 2", b: "BM25", meanDifference: 0.0996, ciLow: -0.02, ciHigh: 0.2, pValue: 0.2 },
      { metric: "mrr@10", a: "Stage 2", b: "BM25", meanDifference: -0.02, ciLow: -0.035, ciHigh: -0.005, pValue: 0.03 },
    ],
    segments: [
      {
        segment: "locale=en",
        queries: 1180,
        values: {
          BM25: { "ndcg@10": 0.41, "recall@100": 0.6, "mrr@10": 0.6 },
          Hybrid: { "ndcg@10": 0.45, "recall@100": 0.7, "mrr@10": null },
          "Stage 2": { "ndcg@10": 0.49, "recall@100": 0.69, "mrr@10": 0.58 },
        },
      },
      {
        segment: "query length 1-2 words",
        queries: 312,
        values: {
          BM25: { "ndcg@10": 0.38, "recall@100": 0.52 },
          "Stage 2": { "ndcg@10": 0.5, "recall@100": 0.66, "mrr@10": 0.61 },
        },
      },
    ],
  };
}
