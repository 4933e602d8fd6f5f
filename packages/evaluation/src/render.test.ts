import { describe, expect, it } from "vitest";
import { formatMetric, renderComparisonTable, renderMarkdownTable } from "./render.js";

describe("formatMetric", () => {
  it("rounds to four decimals", () => {
    expect(formatMetric(0.123456)).toBe("0.1235");
  });

  it("uses the requested digits", () => {
    expect(formatMetric(0.5, 2)).toBe("0.50");
  });

  it("prints n/a for undefined values", () => {
    expect(formatMetric(null)).toBe("n/a");
    expect(formatMetric(Number.NaN)).toBe("n/a");
  });

  it("drops the sign of negative zero", () => {
    expect(formatMetric(-0.00001)).toBe("0.0000");
  });

  it("keeps real negatives", () => {
    expect(formatMetric(-0.25)).toBe("-0.2500");
  });
});

describe("renderMarkdownTable", () => {
  it("pads and right-aligns numbers", () => {
    const table = renderMarkdownTable(
      ["system", "ndcg@10"],
      [
        ["bm25", 0.41234],
        ["stage 2", null],
      ],
    );
    expect(table).toBe(
      ["| system  | ndcg@10 |", "| ------- | ------: |", "| bm25    |  0.4123 |", "| stage 2 |     n/a |"].join("\n"),
    );
  });

  it("escapes pipes and line breaks", () => {
    const table = renderMarkdownTable(["a"], [["x|y\nz"]]);
    expect(table.split("\n")[2]).toBe("| x\\|y z |");
  });

  it("rejects a short row", () => {
    expect(() => renderMarkdownTable(["a", "b"], [["x"]])).toThrow(/row 0 has 1 cells but there are 2 headers/);
  });
});

describe("renderComparisonTable", () => {
  it("renders one row per pair", () => {
    const table = renderComparisonTable(
      "ndcg@10",
      [
        {
          systemA: "bm25",
          systemB: "stage1",
          queries: 20,
          meanA: 0.4,
          meanB: 0.5,
          meanDifference: -0.1,
          ciLower: -0.15,
          ciUpper: -0.05,
          pValue: 0.001,
          pValueHolm: 0.002,
        },
      ],
      2,
    );
    expect(table.split("\n")[2]).toBe(
      "| bm25     | stage1   | 20      |      0.40 |      0.50 | -0.10 |  -0.15 |   -0.05 | 0.00 |     0.00 |",
    );
  });
});
