import { type Dataset, GRADES } from "@mine-refine/core";

/**
 * Builds a dataset whose judgment `i` grades the pair (query `i / productsPerQuery`, product `i`), so a
 * test can tell from a product id which import batch its judgment belonged to.
 */
export function makeSyntheticDataset(name: string, queryCount: number, productsPerQuery: number): Dataset {
  const dataset: Dataset = { name, products: [], queries: [], judgments: [] };
  for (let q = 0; q < queryCount; q++) {
    const queryId = `q${String(q).padStart(6, "0")}`;
    dataset.queries.push({ id: queryId, text: `query number ${q}`, locale: "en" });
    for (let k = 0; k < productsPerQuery; k++) {
      const index = q * productsPerQuery + k;
      const productId = productIdOf(index);
      dataset.products.push({ id: productId, title: `product ${index}`, fields: { brand: `brand ${index % 7}` } });
      const grade = GRADES[index % GRADES.length]!;
      dataset.judgments.push({ queryId, productId, grade, rawLabel: String(grade) });
    }
  }
  return dataset;
}

export function productIdOf(judgmentIndex: number): string {
  return `p${String(judgmentIndex).padStart(8, "0")}`;
}

export function judgmentIndexOf(productId: string): number {
  return Number.parseInt(productId.slice(1), 10);
}
