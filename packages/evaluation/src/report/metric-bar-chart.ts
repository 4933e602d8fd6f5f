import { escapeHtml, formatInterval, formatValue, isPresent } from "./format.js";
import { KIND_COLORS } from "./palette.js";
import { bottomAxis, coord, linearScale, niceAxis, openSvg, type PlotArea, truncateLabel } from "./svg.js";
import type { ReportSystem } from "./types.js";

const WIDTH = 380;
const MARGIN = { left: 132, right: 52, top: 8, bottom: 40 };
const ROW_HEIGHT = 24;
const BAR_HEIGHT = 14;
const CAP_HALF_HEIGHT = 5;
const LABEL_MAX_CHARS = 20;

/**
 * Renders one metric as horizontal bars, one row per system in input order, with the 95% CI as an
 * error bar. Each drawn mean is a `rect.bar` and each complete interval a `path.error-bar`. A system
 * whose mean is missing gets a row with the label "–" and no bar.
 */
export function renderMetricBarChart(metric: string, systems: readonly ReportSystem[]): string {
  const values: number[] = [];
  for (const system of systems) {
    const entry = system.metrics[metric];
    for (const value of [entry?.mean, entry?.ciLow, entry?.ciHigh]) {
      if (isPresent(value)) values.push(value);
    }
  }
  // Bars start at zero, so zero is always on the axis; an all-missing metric gets the unit interval.
  const low = Math.min(0, ...values);
  const high = values.length === 0 ? 1 : Math.max(0, ...values);
  const axis = niceAxis(low, high, 4);

  const area: PlotArea = {
    left: MARGIN.left,
    top: MARGIN.top,
    width: WIDTH - MARGIN.left - MARGIN.right,
    height: Math.max(1, systems.length) * ROW_HEIGHT,
  };
  const height = area.top + area.height + MARGIN.bottom;
  const x = linearScale(axis.domain, [area.left, area.left + area.width]);

  const parts = [openSvg("metric-bars", WIDTH, height, `${metric}: mean per system with 95% bootstrap confidence interval`)];
  parts.push(bottomAxis(area, x, axis.ticks, axis.decimals, metric));

  systems.forEach((system, index) => {
    const entry = system.metrics[metric];
    const center = area.top + index * ROW_HEIGHT + ROW_HEIGHT / 2;
    const mean = entry?.mean;
    parts.push(
      `<text class="row-label" x="${coord(area.left - 8)}" y="${coord(center)}" dy="0.32em" text-anchor="end">` +
        `${escapeHtml(truncateLabel(system.name, LABEL_MAX_CHARS))}</text>`,
    );

    let labelX = x(0) + 4;
    if (isPresent(mean)) {
      const start = x(Math.min(0, mean));
      const end = x(Math.max(0, mean));
      const interval = formatInterval(entry?.ciLow, entry?.ciHigh);
      parts.push(
        `<rect class="bar" data-system="${escapeHtml(system.name)}" x="${coord(start)}" y="${coord(center - BAR_HEIGHT / 2)}" ` +
          `width="${coord(Math.max(0.5, end - start))}" height="${BAR_HEIGHT}" fill="${KIND_COLORS[system.kind]}">` +
          `<title>${escapeHtml(`${system.name}: ${formatValue(mean)}, 95% CI ${interval}`)}</title></rect>`,
      );
      labelX = Math.max(labelX, x(mean) + 4);
    }
    if (isPresent(entry?.ciLow) && isPresent(entry?.ciHigh)) {
      const left = coord(x(entry.ciLow));
      const right = coord(x(entry.ciHigh));
      const top = coord(center - CAP_HALF_HEIGHT);
      const bottom = coord(center + CAP_HALF_HEIGHT);
      parts.push(
        `<path class="error-bar" d="M${left},${coord(center)}H${right}M${left},${top}V${bottom}M${right},${top}V${bottom}"/>`,
      );
      labelX = Math.max(labelX, x(Math.max(entry.ciLow, entry.ciHigh)) + 4);
    }
    parts.push(
      `<text class="value-label" x="${coord(labelX)}" y="${coord(center)}" dy="0.32em">${escapeHtml(formatValue(mean))}</text>`,
    );
  });

  parts.push("</svg>");
  return parts.join("");
}
