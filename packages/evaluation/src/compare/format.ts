import { GRADE_NAMES, GRADES } from "@mine-refine/core";
import { formatMetric, renderMarkdownTable } from "../render.js";
import type { SystemsEvaluation } from "./evaluate-systems.js";

/** Renders an evaluation as Markdown: metrics with intervals, separation, quantiles and significance. */
export function formatSystemsEvaluation(evaluation: SystemsEvaluation, title = "Evaluation"): string {
  const metricNames = [
    ...evaluation.ks.map((k) => `ndcg@${k}`),
    ...evaluation.ks.filter((k) => k >= 10).map((k) => `recall@${k}`),
    "precision@10",
    "mrr@10",
    "map",
    "rerank-ndcg",
    "rerank-ndcg@10",
  ].filter((name, i, all) => all.indexOf(name) === i && evaluation.systems.some((system) => name in system.means));

  const lines: string[] = [`# ${title}`, ""];
  lines.push(
    `${evaluation.queries} queries with judgments, ${evaluation.products} products in the catalog, ${evaluation.judgments} judged pairs. Full-catalog retrieval; unjudged products count as grade 0. Intervals are 95% bootstrap intervals over queries.`,
    "",
    "## Ranking metrics",
    "",
    renderMarkdownTable(
      ["system", ...metricNames],
      evaluation.systems.map((system) => [
        system.name,
        ...metricNames.map((metric) => {
          const mean = system.means[metric];
          const interval = system.intervals[metric];
          if (mean === null || mean === undefined) return "n/a";
          return interval ? `${mean.toFixed(4)} [${interval.lower.toFixed(3)}, ${interval.upper.toFixed(3)}]` : mean.toFixed(4);
        }),
      ]),
    ),
    "",
    "## Grade separation",
    "",
    "Probability that a product of the higher grade scores above one of the lower grade: averaged over queries that have both grades (within query), and with all pairs pooled across queries (global, the case of one fixed threshold). 0.5 is chance.",
    "",
    renderMarkdownTable(
      ["system", "2>1 within query", "1>0 within query", "2>1 global", "1>0 global"],
      evaluation.systems.map((system) => {
        const [high, low] = system.separation;
        return [
          system.name,
          formatMetric(high?.withinQueryMean ?? null),
          formatMetric(low?.withinQueryMean ?? null),
          formatMetric(high?.global ?? null),
          formatMetric(low?.global ?? null),
        ];
      }),
    ),
    "",
    "## Score quantiles of judged pairs",
    "",
    renderMarkdownTable(
      ["system", "grade", "count", "p05", "p25", "p50", "p75", "p95"],
      evaluation.systems.flatMap((system) =>
        GRADES.map((grade) => {
          const summary = system.quantiles[grade];
          const values = summary.quantiles ?? [null, null, null, null, null];
          return [system.name, GRADE_NAMES[grade], String(summary.count), ...values.map((value) => formatMetric(value, 3))];
        }),
      ),
    ),
  );

  const metrics = Object.keys(evaluation.comparisons);
  if (metrics.length > 0) {
    lines.push("", "## Significance", "", "A minus B on queries where both are defined; p from a paired randomization test, Holm-adjusted over the rows of each metric.", "");
    for (const metric of metrics) {
      lines.push(
        `### ${metric}`,
        "",
        renderMarkdownTable(
          ["A", "B", "queries", "mean A", "mean B", "A − B", "95% interval", "p", "p (Holm)"],
          (evaluation.comparisons[metric] ?? []).map((row) => [
            row.systemA,
            row.systemB,
            String(row.queries),
            formatMetric(row.meanA),
            formatMetric(row.meanB),
            formatMetric(row.meanDifference),
            `[${formatMetric(row.ciLower)}, ${formatMetric(row.ciUpper)}]`,
            formatMetric(row.pValue),
            formatMetric(row.pValueHolm),
          ]),
        ),
        "",
      );
    }
  }
  return `${lines.join("\n")}\n`;
}
