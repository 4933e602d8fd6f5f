import { describe, expect, it } from "vitest";
import { renderHtmlReport } from "./html-report.js";
import { sampleReportInput } from "./test/sample-input.js";
import { bodyCellMarkup, bodyCells, countMatches, headerCells } from "./test/read-html.js";
import { ReportInputError } from "./validate-input.js";

// Column layout of the metrics table: System, Kind, then per metric a mean column and a CI column.
const NDCG_MEAN = 2;
const NDCG_CI = 3;
const RECALL_MEAN = 4;
const MRR_MEAN = 6;
// Row order follows input.systems.
const BM25 = 0;
const HYBRID = 1;
const STAGE2 = 2;

describe("renderHtmlReport metrics table", () => {
  const html = renderHtmlReport(sampleReportInput());
  const cells = bodyCells(html, "metrics");
  const markup = bodyCellMarkup(html, "metrics");

  it("lists headers in metric order", () => {
    expect(headerCells(html, "metrics")).toEqual([
      "System",
      "Kind",
      "ndcg@10",
      "ndcg@10 95% CI",
      "recall@100",
      "recall@100 95% CI",
      "mrr@10",
      "mrr@10 95% CI",
    ]);
  });

  it("names the reference system", () => {
    expect(cells[BM25]![0]).toBe("BM25 (reference)");
  });

  it("rounds means to 3 decimals", () => {
    // 0.48951 rounds up to 0.490; the ▲ marker follows the number.
    expect(cells[STAGE2]![NDCG_MEAN]).toBe("0.490▲");
    expect(cells[BM25]![NDCG_MEAN]).toBe("0.412");
  });

  it("rounds CI bounds to 3 decimals", () => {
    expect(cells[BM25]![NDCG_CI]).toBe("[0.390, 0.434]");
  });

  it("shows a missing mean and CI as an en dash", () => {
    expect(cells[HYBRID]![MRR_MEAN]).toBe("–");
    expect(cells[HYBRID]![MRR_MEAN + 1]).toBe("–");
  });

  it("bolds the best mean of a column", () => {
    expect(markup[STAGE2]![NDCG_MEAN]).toContain("<strong>0.490</strong>");
    expect(markup[HYBRID]![NDCG_MEAN]).not.toContain("<strong>");
  });

  it("bolds every mean tied after rounding", () => {
    expect(markup[HYBRID]![RECALL_MEAN]).toContain("<strong>0.700</strong>");
    expect(markup[STAGE2]![RECALL_MEAN]).toContain("<strong>0.700</strong>");
    expect(markup[BM25]![RECALL_MEAN]).not.toContain("<strong>");
  });

  it("marks a significant gain over the reference", () => {
    expect(cells[STAGE2]![NDCG_MEAN]).toMatch(/▲$/);
  });

  it("flips a comparison listed as reference vs system", () => {
    // The input lists BM25 − Hybrid = −0.038, so Hybrid is above the reference.
    expect(cells[HYBRID]![NDCG_MEAN]).toBe("0.450▲");
  });

  it("marks a significant loss against the reference", () => {
    expect(cells[STAGE2]![MRR_MEAN]).toBe("0.580▼");
  });

  it("leaves a non-significant difference unmarked", () => {
    expect(cells[STAGE2]![RECALL_MEAN]).toBe("0.700");
  });

  it("puts the comparison in the marker tooltip", () => {
    expect(markup[HYBRID]![NDCG_MEAN]).toContain('title="Hybrid − BM25: +0.038, 95% CI [0.010, 0.060], p 0.010"');
  });
});

describe("renderHtmlReport other tables", () => {
  const html = renderHtmlReport(sampleReportInput());

  it("formats comparisons with signed differences and p-values", () => {
    expect(bodyCells(html, "comparisons")[0]).toEqual(["ndcg@10", "Stage 2", "BM25", "+0.077", "[0.050, 0.100]", "<0.001"]);
    expect(bodyCells(html, "comparisons")[1]).toEqual(["ndcg@10", "BM25", "Hybrid", "-0.038", "[-0.060, -0.010]", "0.010"]);
  });

  it("orders quantile columns by percent", () => {
    expect(headerCells(html, "quantiles")).toEqual(["System", "Grade", "p05", "p25", "p50", "p75", "p95"]);
  });

  it("lists quantiles per grade from relevant down", () => {
    const rows = bodyCells(html, "quantiles");
    expect(rows.length).toBe(3);
    expect(rows[0]).toEqual(["Stage 2", "2 relevant", "0.420", "0.700", "0.810", "0.900", "0.970"]);
    expect(rows[2]).toEqual(["Stage 2", "0 irrelevant", "0.020", "0.100", "0.220", "0.400", "0.710"]);
  });

  it("shows separation with missing values as dashes", () => {
    const rows = bodyCells(html, "separation");
    expect(rows[0]).toEqual(["BM25", "0.550", "0.520", "0.600", "–"]);
    expect(rows[1]).toEqual(["Stage 2", "0.710", "0.660", "0.780", "0.740"]);
  });

  it("lists chosen thresholds per system and target", () => {
    const rows = bodyCells(html, "thresholds");
    expect(rows).toEqual([
      ["BM25", "grade ≥ 2", "10.000", "0.410", "0.680", "3"],
      ["Stage 2", "grade ≥ 2", "0.600", "0.520", "0.780", "3"],
      ["Stage 2", "grade ≥ 1", "0.400", "0.610", "0.880", "3"],
    ]);
  });

  it("writes one segment table per metric", () => {
    expect(bodyCells(html, "segments-1")).toEqual([
      ["locale=en", "1,180", "0.410", "0.450", "0.490"],
      ["query length 1-2 words", "312", "0.380", "–", "0.500"],
    ]);
    expect(bodyCells(html, "segments-3")[1]).toEqual(["query length 1-2 words", "312", "–", "–", "0.610"]);
  });

  it("bolds the best system of a segment row", () => {
    expect(bodyCellMarkup(html, "segments-1")[0]![4]).toContain("<strong>0.490</strong>");
  });

  it("formats data set counts with separators", () => {
    expect(html).toContain("<dt>Products</dt><dd>54,667</dd>");
  });

  it("prints the notes as paragraphs", () => {
    expect(html).toContain('<p class="note">Stage 2 was trained for one epoch.</p>');
  });
});

describe("renderHtmlReport charts", () => {
  const html = renderHtmlReport(sampleReportInput());

  it("draws one bar chart per metric", () => {
    expect(countMatches(html, /data-chart="metric-bars"/)).toBe(3);
  });

  it("draws a bar per present mean", () => {
    // 3 systems × 3 metrics, less Hybrid's missing mrr@10.
    expect(countMatches(html, /<rect class="bar"/)).toBe(8);
  });

  it("draws an error bar per complete CI", () => {
    expect(countMatches(html, /<path class="error-bar"/)).toBe(8);
  });

  it("draws a histogram per system with one", () => {
    expect(countMatches(html, /data-chart="score-histogram"/)).toBe(2);
  });

  it("draws a histogram series per grade", () => {
    expect(countMatches(html, /<path class="histogram-series"/)).toBe(6);
    expect(countMatches(html, /class="histogram-series" data-grade="1"/)).toBe(2);
  });

  it("draws threshold curves per system with sweeps", () => {
    expect(countMatches(html, /data-chart="threshold-curves"/)).toBe(2);
  });

  it("draws precision and recall per sweep", () => {
    // BM25 has one target and Stage 2 two, each with a precision and a recall line.
    expect(countMatches(html, /<path class="threshold-series"/)).toBe(6);
    expect(countMatches(html, /data-measure="recall"/)).toBe(3);
  });

  it("marks each chosen threshold", () => {
    expect(countMatches(html, /<g class="threshold-chosen"/)).toBe(3);
  });

  it("labels every chart for screen readers", () => {
    const charts = countMatches(html, /<svg /);
    expect(charts).toBe(7);
    expect(countMatches(html, /<svg data-chart="[a-z-]+" role="img" aria-label="[^"]+"/)).toBe(charts);
    expect(countMatches(html, /<figure><svg /)).toBe(charts);
    expect(countMatches(html, /<figcaption>/)).toBe(charts);
  });

  it("draws bars with a width proportional to the mean", () => {
    // The ndcg@10 axis runs 0 to 0.6 over 196 units, starting at x = 132.
    const width = /<rect class="bar" data-system="Stage 2" x="132" y="[\d.]+" width="([\d.]+)"/.exec(html)?.[1];
    expect(Number(width)).toBeCloseTo((0.48951 / 0.6) * 196, 1);
  });
});

describe("renderHtmlReport safety", () => {
  it("escapes a system named <script>", () => {
    const input = sampleReportInput();
    const name = `<script>alert("x")</script>`;
    input.systems[1]!.name = name;
    input.segments[0]!.values[name] = input.segments[0]!.values.Hybrid!;
    delete input.segments[0]!.values.Hybrid;
    input.comparisons[1]!.b = name;
    const html = renderHtmlReport(input);
    expect(html).not.toContain("<script");
    expect(html).toContain("&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;");
  });

  it("escapes the title and notes", () => {
    const input = sampleReportInput();
    input.title = "A & B <b>";
    input.notes = ["<img src=x onerror=alert(1)>"];
    const html = renderHtmlReport(input);
    expect(html).toContain("<title>A &amp; B &lt;b&gt;</title>");
    expect(html).not.toContain("<img");
  });

  it("references no external resources", () => {
    const html = renderHtmlReport(sampleReportInput());
    expect(html).not.toMatch(/(src|href)\s*=\s*["']?\s*(https?:)?\/\//i);
    expect(html).not.toMatch(/https?:/i);
    expect(html).not.toMatch(/<(script|link|img|iframe|object)\b/i);
  });

  it("blocks network loads with a CSP", () => {
    const html = renderHtmlReport(sampleReportInput());
    expect(html).toContain(`content="default-src 'none'; style-src 'unsafe-inline'"`);
  });
});

describe("renderHtmlReport input checks", () => {
  it("rejects histogram counts that miss a bin", () => {
    const input = sampleReportInput();
    input.systems[0]!.histogram!.counts["1"] = [1, 2, 3];
    expect(() => renderHtmlReport(input)).toThrow(ReportInputError);
    expect(() => renderHtmlReport(input)).toThrow('systems[0].histogram.counts["1"]: expected 4 counts');
  });

  it("rejects a comparison with an unknown system", () => {
    const input = sampleReportInput();
    input.comparisons[0]!.a = "Stage 3";
    expect(() => renderHtmlReport(input)).toThrow('comparisons[0].a: unknown system "Stage 3"');
  });

  it("rejects duplicate system names", () => {
    const input = sampleReportInput();
    input.systems[1]!.name = "BM25";
    expect(() => renderHtmlReport(input)).toThrow('systems[1].name: duplicate system name "BM25"');
  });

  it("renders empty comparisons and segments", () => {
    const input = sampleReportInput();
    input.comparisons = [];
    input.segments = [];
    const html = renderHtmlReport(input);
    expect(html).toContain("<p>No comparisons were reported.</p>");
    expect(html).toContain("<p>No segments were reported.</p>");
  });
});
