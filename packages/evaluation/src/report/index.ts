export { renderHtmlReport } from "./html-report.js";
export { escapeMarkdown, renderMarkdownReport } from "./markdown-report.js";
export { MISSING_VALUE, VALUE_DIGITS } from "./format.js";
export { GRADE_COLORS, KIND_COLORS } from "./palette.js";
export { MARKER_HIGHER, MARKER_LOWER, SIGNIFICANCE_LEVEL } from "./table-model.js";
export type { ReportInput, ReportSystem } from "./types.js";
export { ReportInputError, type ReportInputIssue, validateReportInput } from "./validate-input.js";
