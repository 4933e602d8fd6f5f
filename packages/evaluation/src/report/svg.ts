import { escapeHtml } from "./format.js";

/** A chart kind, written to the `data-chart` attribute of its `<svg>` so tests can count charts. */
export type ChartKind = "metric-bars" | "score-histogram" | "threshold-curves";

/** Inner drawing area of a chart in SVG user units, inside the margins left for axes and labels. */
export interface PlotArea {
  left: number;
  top: number;
  width: number;
  height: number;
}

/** Maps `domain` linearly onto `range`; a zero-width domain maps everything to the range midpoint. */
export function linearScale(domain: readonly [number, number], range: readonly [number, number]): (value: number) => number {
  const [d0, d1] = domain;
  const [r0, r1] = range;
  if (d1 === d0) return () => (r0 + r1) / 2;
  const slope = (r1 - r0) / (d1 - d0);
  return (value) => r0 + (value - d0) * slope;
}

/** Rounds an SVG coordinate to 2 decimals, enough for print and short in the file. */
export function coord(value: number): string {
  return String(Math.round(value * 100) / 100);
}

/** Returns the smallest step of 1, 2, 5 or 10 times a power of ten that is at least `span / targetCount`. */
export function niceStep(span: number, targetCount: number): number {
  const raw = span / Math.max(1, targetCount);
  if (!(raw > 0) || !Number.isFinite(raw)) return 1;
  const power = 10 ** Math.floor(Math.log10(raw));
  const fraction = raw / power;
  for (const multiple of [1, 2, 5]) {
    if (fraction <= multiple) return multiple * power;
  }
  return 10 * power;
}

/** Decimals needed to print multiples of `step` exactly, for example 2 for 0.05. */
export function stepDecimals(step: number): number {
  return Math.max(0, -Math.floor(Math.log10(step) + 1e-9));
}

/**
 * Widens [min, max] outwards to multiples of a nice step and lists the ticks on it. A zero-width
 * interval is widened by half a unit (or 10% of the value) on each side first, so one value still
 * gets an axis.
 */
export function niceAxis(min: number, max: number, targetCount = 5): { domain: [number, number]; ticks: number[]; decimals: number } {
  let low = min;
  let high = max;
  if (high === low) {
    const pad = low === 0 ? 0.5 : Math.abs(low) * 0.1;
    low -= pad;
    high += pad;
  }
  const step = niceStep(high - low, targetCount);
  const decimals = stepDecimals(step);
  const first = Math.floor(low / step + 1e-9);
  const last = Math.ceil(high / step - 1e-9);
  const ticks: number[] = [];
  for (let k = first; k <= last; k += 1) ticks.push(Number((k * step).toFixed(decimals)));
  return { domain: [ticks[0]!, ticks[ticks.length - 1]!], ticks, decimals };
}

/** Opens an accessible chart `<svg>`: role="img", an aria-label and a `<title>` with the same text. */
export function openSvg(kind: ChartKind, width: number, height: number, label: string): string {
  const text = escapeHtml(label);
  return (
    `<svg data-chart="${kind}" role="img" aria-label="${text}" viewBox="0 0 ${width} ${height}" ` +
    `width="${width}" height="${height}" preserveAspectRatio="xMinYMin meet"><title>${text}</title>`
  );
}

/** Draws a horizontal axis under the plot area, with tick marks, labels and optional grid lines. */
export function bottomAxis(area: PlotArea, scale: (value: number) => number, ticks: readonly number[], decimals: number, title: string): string {
  const baseline = area.top + area.height;
  const parts = [`<g class="axis axis-x">`];
  parts.push(`<line x1="${coord(area.left)}" y1="${coord(baseline)}" x2="${coord(area.left + area.width)}" y2="${coord(baseline)}"/>`);
  for (const tick of ticks) {
    const x = coord(scale(tick));
    parts.push(`<line class="grid" x1="${x}" y1="${coord(area.top)}" x2="${x}" y2="${coord(baseline)}"/>`);
    parts.push(`<line x1="${x}" y1="${coord(baseline)}" x2="${x}" y2="${coord(baseline + 4)}"/>`);
    parts.push(`<text x="${x}" y="${coord(baseline + 15)}" text-anchor="middle">${tick.toFixed(decimals)}</text>`);
  }
  parts.push(
    `<text class="axis-title" x="${coord(area.left + area.width / 2)}" y="${coord(baseline + 31)}" text-anchor="middle">${escapeHtml(title)}</text>`,
  );
  parts.push("</g>");
  return parts.join("");
}

/** Draws a vertical axis left of the plot area, with tick labels, grid lines and a rotated title. */
export function leftAxis(area: PlotArea, scale: (value: number) => number, ticks: readonly number[], decimals: number, title: string): string {
  const parts = [`<g class="axis axis-y">`];
  parts.push(`<line x1="${coord(area.left)}" y1="${coord(area.top)}" x2="${coord(area.left)}" y2="${coord(area.top + area.height)}"/>`);
  for (const tick of ticks) {
    const y = coord(scale(tick));
    parts.push(`<line class="grid" x1="${coord(area.left)}" y1="${y}" x2="${coord(area.left + area.width)}" y2="${y}"/>`);
    parts.push(`<line x1="${coord(area.left - 4)}" y1="${y}" x2="${coord(area.left)}" y2="${y}"/>`);
    parts.push(`<text x="${coord(area.left - 6)}" y="${y}" dy="0.32em" text-anchor="end">${tick.toFixed(decimals)}</text>`);
  }
  const middle = area.top + area.height / 2;
  const x = area.left - 40;
  parts.push(
    `<text class="axis-title" x="${coord(x)}" y="${coord(middle)}" text-anchor="middle" transform="rotate(-90 ${coord(x)} ${coord(middle)})">${escapeHtml(title)}</text>`,
  );
  parts.push("</g>");
  return parts.join("");
}

/** One legend entry: a line sample in a colour and dash pattern, then its label. */
export interface LegendEntry {
  label: string;
  color: string;
  dash: string;
}

/** Approximate advance width of one character of the 11px chart font, in SVG units. */
const CHAR_WIDTH = 6.3;
const LEGEND_SAMPLE_WIDTH = 18;
const LEGEND_GAP = 12;

/**
 * Draws a one-row legend of line samples starting at (x, y). Each entry is as wide as its sample
 * plus its label at an estimated CHAR_WIDTH per character, so long labels do not overlap.
 */
export function lineLegend(entries: readonly LegendEntry[], x: number, y: number): string {
  const parts = [`<g class="legend">`];
  let left = x;
  for (const entry of entries) {
    const dash = entry.dash === "" ? "" : ` stroke-dasharray="${entry.dash}"`;
    parts.push(
      `<line x1="${coord(left)}" y1="${coord(y)}" x2="${coord(left + LEGEND_SAMPLE_WIDTH)}" y2="${coord(y)}" stroke="${entry.color}" stroke-width="2.5"${dash}/>`,
    );
    parts.push(`<text x="${coord(left + LEGEND_SAMPLE_WIDTH + 5)}" y="${coord(y)}" dy="0.32em">${escapeHtml(entry.label)}</text>`);
    left += LEGEND_SAMPLE_WIDTH + 5 + Array.from(entry.label).length * CHAR_WIDTH + LEGEND_GAP;
  }
  parts.push("</g>");
  return parts.join("");
}

/**
 * Shortens `text` to at most `maxChars` characters with a trailing ellipsis, for axis labels. The
 * chart's `<title>` and the tables keep the full text.
 */
export function truncateLabel(text: string, maxChars: number): string {
  const characters = Array.from(text);
  return characters.length <= maxChars ? text : `${characters.slice(0, maxChars - 1).join("")}…`;
}
