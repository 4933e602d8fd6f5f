/** Test helpers that read the report's HTML with regular expressions, enough for its fixed markup. */

export function decodeEntities(text: string): string {
  return text
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">")
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&amp;/g, "&");
}

/** Returns the `<table id="...">` element's markup, or raises when the table is missing. */
export function tableMarkup(html: string, id: string): string {
  const match = new RegExp(`<table id="${id}">([\\s\\S]*?)</table>`).exec(html);
  if (match === null) throw new Error(`table #${id} not found in the report`);
  return match[1]!;
}

/** Returns the body rows of a table as cell markup (tags kept), so tests can look for <strong>. */
export function bodyCellMarkup(html: string, id: string): string[][] {
  const body = /<tbody>([\s\S]*?)<\/tbody>/.exec(tableMarkup(html, id))?.[1] ?? "";
  return [...body.matchAll(/<tr>([\s\S]*?)<\/tr>/g)].map((row) =>
    [...row[1]!.matchAll(/<t[hd][^>]*>([\s\S]*?)<\/t[hd]>/g)].map((cell) => cell[1]!),
  );
}

/** Returns the body rows of a table as plain cell text with tags removed and entities decoded. */
export function bodyCells(html: string, id: string): string[][] {
  return bodyCellMarkup(html, id).map((row) => row.map((cell) => decodeEntities(cell.replace(/<[^>]*>/g, ""))));
}

/** Returns the header cells of a table as plain text. */
export function headerCells(html: string, id: string): string[] {
  const head = /<thead>([\s\S]*?)<\/thead>/.exec(tableMarkup(html, id))?.[1] ?? "";
  return [...head.matchAll(/<th[^>]*>([\s\S]*?)<\/th>/g)].map((cell) => decodeEntities(cell[1]!.replace(/<[^>]*>/g, "")));
}

export function countMatches(text: string, pattern: RegExp): number {
  return [...text.matchAll(new RegExp(pattern.source, pattern.flags.includes("g") ? pattern.flags : `${pattern.flags}g`))].length;
}
