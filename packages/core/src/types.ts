import type { Grade } from "./grades.js";

/** A product of the catalog. `fields` contains named text fields such as brand, colour or description. */
export interface Product {
  id: string;
  title: string;
  fields: Record<string, string>;
  /** BCP 47 language tag such as "en", "es" or "ja"; undefined when the source gives none. */
  locale?: string;
}

/** A search query. Two queries with the same normalised text share one id. */
export interface Query {
  id: string;
  text: string;
  locale?: string;
}

/** One graded (query, product) pair. */
export interface Judgment {
  queryId: string;
  productId: string;
  grade: Grade;
  /** The label as the source wrote it, for example "2.33" or "S". */
  rawLabel: string;
}

/** A dataset as every stage consumes it: catalog, queries and graded pairs. */
export interface Dataset {
  name: string;
  products: Product[];
  queries: Query[];
  judgments: Judgment[];
}

export type SplitName = "train" | "dev" | "test";

export const SPLIT_NAMES: readonly SplitName[] = ["train", "dev", "test"];

/** Query ids of each split. A query id appears in exactly one split. */
export type QuerySplit = Record<SplitName, string[]>;
