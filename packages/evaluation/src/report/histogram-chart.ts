import { GRADE_LABELS, REPORT_GRADES, gradeKey } from "./format.js";
import { GRADE_COLORS, GRADE_DASHES } from "./palette.js";
import { bottomAxis, coord, leftAxis, lineLegend, linearScale, niceAxis, openSvg, type PlotArea } from "./svg.js";
import type { ReportSystem } from "./types.js";

const WIDTH = 380;
const HEIGHT = 240;
const MARGIN = { left: 56, right: 14, top: 30, bottom: 42 };

/** Score histogram of one system's judged pairs, `edges.length - 1` bins shared by all grades. */
export type ScoreHistogram = NonNullable<ReportSystem["histogram"]>;

/**
 * Renders a system's score histogram with one outlined step series per grade, overlaid on the same
 * bins. Each series shows the share of that grade's pairs per bin rather than raw counts, so a grade
 * with few judged pairs stays visible beside a large one. Each series is a `path.histogram-series`
 * with `data-grade`; a grade without pairs is left out of the plot but kept in the legend.
 */
export function renderHistogramChart(systemName: string, histogram: ScoreHistogram): string {
  const { edges } = histogram;
  const area: PlotArea = {
    left: MARGIN.left,
    top: MARGIN.top,
    width: WIDTH - MARGIN.left - MARGIN.right,
    height: HEIGHT - MARGIN.top - MARGIN.bottom,
  };

  const shares = new Map<string, number[]>();
  let maxShare = 0;
  for (const grade of REPORT_GRADES) {
    const counts = histogram.counts[gradeKey(grade)];
    const total = counts.reduce((sum, count) => sum + count, 0);
    if (total <= 0) continue;
    const gradeShares = counts.map((count) => count / total);
    shares.set(gradeKey(grade), gradeShares);
    maxShare = Math.max(maxShare, ...gradeShares);
  }

  const xAxis = niceAxis(edges[0]!, edges[edges.length - 1]!, 5);
  const yAxis = niceAxis(0, maxShare > 0 ? maxShare : 1, 4);
  const x = linearScale(xAxis.domain, [area.left, area.left + area.width]);
  const y = linearScale(yAxis.domain, [area.top + area.height, area.top]);

  const parts = [openSvg("score-histogram", WIDTH, HEIGHT, `${systemName}: score histogram of judged pairs per grade`)];
  parts.push(leftAxis(area, y, yAxis.ticks, yAxis.decimals, "share of grade's pairs"));
  parts.push(bottomAxis(area, x, xAxis.ticks, xAxis.decimals, "score"));

  // Irrelevant pairs are drawn first and relevant pairs last, so the relevant outline stays on top.
  for (const grade of [...REPORT_GRADES].reverse()) {
    const gradeShares = shares.get(gradeKey(grade));
    if (gradeShares === undefined) continue;
    const baseline = coord(y(0));
    const steps = [`M${coord(x(edges[0]!))},${baseline}`];
    gradeShares.forEach((share, bin) => {
      const top = coord(y(share));
      steps.push(`V${top}H${coord(x(edges[bin + 1]!))}`);
    });
    steps.push(`V${baseline}Z`);
    const dash = GRADE_DASHES[grade] === "" ? "" : ` stroke-dasharray="${GRADE_DASHES[grade]}"`;
    parts.push(
      `<path class="histogram-series" data-grade="${grade}" d="${steps.join("")}" fill="${GRADE_COLORS[grade]}" ` +
        `fill-opacity="0.07" stroke="${GRADE_COLORS[grade]}" stroke-width="2"${dash}/>`,
    );
  }

  parts.push(
    lineLegend(
      REPORT_GRADES.map((grade) => ({ label: GRADE_LABELS[grade], color: GRADE_COLORS[grade], dash: GRADE_DASHES[grade] })),
      MARGIN.left,
      12,
    ),
  );
  parts.push("</svg>");
  return parts.join("");
}
