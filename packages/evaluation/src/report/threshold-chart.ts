import { escapeHtml, formatValue, isPresent } from "./format.js";
import { MIN_GRADE_COLORS } from "./palette.js";
import { bottomAxis, coord, leftAxis, lineLegend, linearScale, niceAxis, openSvg, type PlotArea } from "./svg.js";
import type { ReportSystem } from "./types.js";

const WIDTH = 380;
const HEIGHT = 250;
const MARGIN = { left: 56, right: 14, top: 30, bottom: 42 };
const MEASURE_DASHES = { precision: "", recall: "6 3" } as const;
const NEUTRAL_COLOR = "#555555";

/** One threshold sweep of a system: the target "grade >= minGrade", its points and the dev choice. */
export type ThresholdCurve = NonNullable<ReportSystem["thresholdCurves"]>[number];

/**
 * Renders precision and recall against the score threshold for each target "grade >= g" of one
 * system. Colour encodes the target and the dash pattern encodes the measure. Each line is a
 * `path.threshold-series` with `data-min-grade` and `data-measure`. The threshold chosen on dev is a
 * `g.threshold-chosen`: a vertical rule with the test precision and recall marked on it. Points whose
 * precision or recall is missing (NaN) break the line instead of being drawn at zero.
 */
export function renderThresholdChart(systemName: string, curves: readonly ThresholdCurve[]): string {
  const thresholds: number[] = [];
  for (const curve of curves) {
    for (const point of curve.points) if (isPresent(point.threshold)) thresholds.push(point.threshold);
    if (curve.chosen !== undefined && isPresent(curve.chosen.threshold)) thresholds.push(curve.chosen.threshold);
  }
  const xAxis = thresholds.length === 0 ? niceAxis(0, 1, 5) : niceAxis(Math.min(...thresholds), Math.max(...thresholds), 5);
  const yAxis = niceAxis(0, 1, 5);
  const area: PlotArea = {
    left: MARGIN.left,
    top: MARGIN.top,
    width: WIDTH - MARGIN.left - MARGIN.right,
    height: HEIGHT - MARGIN.top - MARGIN.bottom,
  };
  const x = linearScale(xAxis.domain, [area.left, area.left + area.width]);
  const y = linearScale(yAxis.domain, [area.top + area.height, area.top]);

  const parts = [openSvg("threshold-curves", WIDTH, HEIGHT, `${systemName}: precision and recall against the score threshold`)];
  parts.push(leftAxis(area, y, yAxis.ticks, yAxis.decimals, "precision / recall"));
  parts.push(bottomAxis(area, x, xAxis.ticks, xAxis.decimals, "score threshold"));

  for (const curve of curves) {
    const color = MIN_GRADE_COLORS[curve.minGrade];
    const points = [...curve.points].sort((a, b) => a.threshold - b.threshold);
    for (const measure of ["precision", "recall"] as const) {
      const d = linePath(points.map((point) => [point.threshold, point[measure]]), x, y);
      if (d === "") continue;
      const dash = MEASURE_DASHES[measure] === "" ? "" : ` stroke-dasharray="${MEASURE_DASHES[measure]}"`;
      parts.push(
        `<path class="threshold-series" data-min-grade="${curve.minGrade}" data-measure="${measure}" d="${d}" ` +
          `fill="none" stroke="${color}" stroke-width="2"${dash}/>`,
      );
    }
    const { chosen } = curve;
    if (chosen !== undefined && isPresent(chosen.threshold)) {
      const ruleX = coord(x(chosen.threshold));
      const label = `grade ≥ ${curve.minGrade}: threshold ${formatValue(chosen.threshold)}, precision ${formatValue(chosen.precision)}, recall ${formatValue(chosen.recall)}`;
      parts.push(`<g class="threshold-chosen" data-min-grade="${curve.minGrade}"><title>${escapeHtml(label)}</title>`);
      parts.push(
        `<line x1="${ruleX}" y1="${coord(area.top)}" x2="${ruleX}" y2="${coord(area.top + area.height)}" stroke="${color}" stroke-width="1" stroke-dasharray="1 3"/>`,
      );
      for (const value of [chosen.precision, chosen.recall]) {
        if (!isPresent(value)) continue;
        parts.push(`<circle cx="${ruleX}" cy="${coord(y(value))}" r="3.5" fill="#ffffff" stroke="${color}" stroke-width="2"/>`);
      }
      parts.push("</g>");
    }
  }

  parts.push(
    lineLegend(
      [
        { label: "grade ≥ 2", color: MIN_GRADE_COLORS[2], dash: "" },
        { label: "grade ≥ 1", color: MIN_GRADE_COLORS[1], dash: "" },
        { label: "precision", color: NEUTRAL_COLOR, dash: MEASURE_DASHES.precision },
        { label: "recall", color: NEUTRAL_COLOR, dash: MEASURE_DASHES.recall },
      ],
      // Four entries need nearly the full width, so this legend starts at the left edge.
      10,
      12,
    ),
  );
  parts.push("</svg>");
  return parts.join("");
}

/** Builds an SVG path through the points in order, starting a new subpath after a missing value. */
function linePath(points: readonly (readonly [number, number])[], x: (value: number) => number, y: (value: number) => number): string {
  const commands: string[] = [];
  let penDown = false;
  for (const [threshold, value] of points) {
    if (!isPresent(threshold) || !isPresent(value)) {
      penDown = false;
      continue;
    }
    commands.push(`${penDown ? "L" : "M"}${coord(x(threshold))},${coord(y(value))}`);
    penDown = true;
  }
  return commands.join("");
}
