import { describe, expect, it } from "vitest";
import { escapeMarkdown, renderMarkdownReport } from "./markdown-report.js";
import { sampleReportInput } from "./test/sample-input.js";

/** Returns the Markdown table rows that start with `| first |`, split into trimmed cells. */
function rowsStartingWith(markdown: string, first: string): string[][] {
  return markdown
    .split("\n")
    .filter((line) => line.startsWith(`| ${first} |`))
    .map((line) => line.slice(2, -2).split(" | "));
}

describe("renderMarkdownReport", () => {
  const markdown = renderMarkdownReport(sampleReportInput());

  it("starts with the title", () => {
    expect(markdown.split("\n")[0]).toBe("# Home Depot test split: lexical, hybrid and Stage 2");
  });

  it("lists the data set facts", () => {
    expect(markdown).toContain("- Judgments: 7,406");
  });

  it("writes the metrics row with markers and bold", () => {
    expect(rowsStartingWith(markdown, "Stage 2")[0]).toEqual([
      "Stage 2",
      "dense",
      "**0.490** ▲",
      "[0.470, 0.510]",
      "**0.700**",
      "[0.650, 0.750]",
      "0.580 ▼",
      "[0.550, 0.610]",
    ]);
  });

  it("shows a missing mean as an en dash", () => {
    expect(rowsStartingWith(markdown, "Hybrid")[0]![6]).toBe("–");
  });

  it("right-aligns numeric columns", () => {
    expect(markdown).toContain("| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: |");
  });

  it("writes every table without charts", () => {
    for (const caption of [
      "Metric means over queries",
      "Paired comparisons",
      "Score quantiles of judged pairs per grade",
      "Grade separation",
      "Score thresholds chosen on dev",
      "ndcg@10 by segment",
      "recall@100 by segment",
      "mrr@10 by segment",
    ]) {
      expect(markdown).toContain(`**${caption}`);
    }
    expect(markdown).not.toContain("<svg");
  });

  it("writes the same segment numbers as HTML", () => {
    expect(rowsStartingWith(markdown, "query length 1-2 words")[0]).toEqual(["query length 1-2 words", "312", "0.380", "–", "**0.500**"]);
  });

  it("escapes names that would break a table", () => {
    const input = sampleReportInput();
    input.systems[0]!.name = "<script>a|b</script>";
    input.comparisons = [];
    input.segments = [];
    const output = renderMarkdownReport(input);
    expect(output).toContain("| \\<script\\>a\\|b\\</script\\> (reference) | lexical |");
    expect(output).not.toContain("<script>");
  });
});

describe("escapeMarkdown", () => {
  it("escapes emphasis, links and headings", () => {
    expect(escapeMarkdown("*a* _b_ [c](d) #e")).toBe("\\*a\\* \\_b\\_ \\[c\\](d) \\#e");
  });

  it("joins lines", () => {
    expect(escapeMarkdown("a\nb\r\nc")).toBe("a b c");
  });
});
