import { parquetWriteBuffer } from "hyparquet-writer";

/** One row of an ESCI examples file. */
export interface EsciExampleRow {
  query: string;
  queryId: number;
  productId: string;
  locale: string;
  label: string;
  smallVersion?: boolean;
  split?: "train" | "test";
}

/** One row of an ESCI products file. Null fields are written as parquet nulls. */
export interface EsciProductRow {
  productId: string;
  title: string;
  locale: string;
  description?: string | null;
  bullets?: string | null;
  brand?: string | null;
  color?: string | null;
}

/** Encodes example rows with the column names and types of ESCI's examples parquet. */
export function esciExamplesParquet(rows: readonly EsciExampleRow[]): Uint8Array {
  const buffer = parquetWriteBuffer({
    columnData: [
      { name: "example_id", data: rows.map((_, index) => BigInt(index)), type: "INT64" },
      { name: "query", data: rows.map((row) => row.query), type: "STRING" },
      { name: "query_id", data: rows.map((row) => BigInt(row.queryId)), type: "INT64" },
      { name: "product_id", data: rows.map((row) => row.productId), type: "STRING" },
      { name: "product_locale", data: rows.map((row) => row.locale), type: "STRING" },
      { name: "esci_label", data: rows.map((row) => row.label), type: "STRING" },
      { name: "small_version", data: rows.map((row) => BigInt(row.smallVersion === false ? 0 : 1)), type: "INT64" },
      { name: "large_version", data: rows.map(() => 1n), type: "INT64" },
      { name: "split", data: rows.map((row) => row.split ?? "train"), type: "STRING" },
    ],
  });
  return new Uint8Array(buffer);
}

/** Encodes product rows with the column names of ESCI's products parquet. */
export function esciProductsParquet(rows: readonly EsciProductRow[]): Uint8Array {
  const buffer = parquetWriteBuffer({
    columnData: [
      { name: "product_id", data: rows.map((row) => row.productId), type: "STRING" },
      { name: "product_title", data: rows.map((row) => row.title), type: "STRING" },
      { name: "product_description", data: rows.map((row) => row.description ?? null), type: "STRING" },
      { name: "product_bullet_point", data: rows.map((row) => row.bullets ?? null), type: "STRING" },
      { name: "product_brand", data: rows.map((row) => row.brand ?? null), type: "STRING" },
      { name: "product_color", data: rows.map((row) => row.color ?? null), type: "STRING" },
      { name: "product_locale", data: rows.map((row) => row.locale), type: "STRING" },
    ],
  });
  return new Uint8Array(buffer);
}
