/** Inline CSS of the HTML report. System fonts only, so the file needs no font download. */
export const REPORT_STYLE = `
:root { color-scheme: light; }
body { margin: 0; background: #ffffff; color: #1a1a1a; font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, "Liberation Sans", sans-serif; }
main { max-width: 1220px; margin: 0 auto; padding: 20px 28px 12px; }
header h1 { margin: 0 0 8px; font-size: 24px; }
.facts { display: flex; flex-wrap: wrap; gap: 4px 24px; margin: 0 0 8px; }
.facts div { display: flex; gap: 6px; }
.facts dt { color: #555555; }
.facts dd { margin: 0; font-weight: 600; }
.note { margin: 6px 0; max-width: 80ch; }
nav { margin: 12px 0 4px; padding: 6px 0; border-top: 1px solid #dddddd; border-bottom: 1px solid #dddddd; }
nav a { color: #0b5a8c; }
h2 { margin: 26px 0 8px; font-size: 19px; border-bottom: 1px solid #e2e2e2; padding-bottom: 4px; }
.table-scroll { overflow-x: auto; }
table { border-collapse: collapse; margin: 8px 0 4px; font-size: 13px; }
caption { text-align: left; font-weight: 600; padding: 4px 0; }
th, td { padding: 3px 9px; border-bottom: 1px solid #e6e6e6; white-space: nowrap; }
thead th { border-bottom: 2px solid #999999; text-align: left; vertical-align: bottom; }
th[scope="row"] { text-align: left; font-weight: normal; }
.num { text-align: right; font-variant-numeric: tabular-nums; }
.sig { margin-left: 3px; color: #333333; font-size: 11px; }
.table-note, .legend-line { color: #444444; font-size: 12.5px; margin: 2px 0 10px; max-width: 110ch; }
.swatch-item { margin-right: 12px; white-space: nowrap; }
.swatch { display: inline-block; width: 11px; height: 11px; margin-right: 4px; vertical-align: -1px; }
.chart-grid { display: grid; grid-template-columns: repeat(auto-fill, minmax(380px, 1fr)); gap: 14px 18px; }
figure { margin: 0; }
figcaption { font-size: 12.5px; color: #444444; max-width: 380px; }
svg { display: block; width: 100%; max-width: 520px; height: auto; font-family: inherit; }
svg text { font-size: 11px; fill: #222222; }
svg .axis line { stroke: #777777; stroke-width: 1; }
svg .axis line.grid { stroke: #ececec; }
svg .axis-title { fill: #444444; }
svg .error-bar { stroke: #1a1a1a; stroke-width: 1.4; fill: none; }
footer { max-width: 1220px; margin: 0 auto; padding: 8px 28px 24px; color: #666666; font-size: 12px; }
`;
