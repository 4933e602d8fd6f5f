import type { Logger, Product } from "@mine-refine/core";
import { describe, expect, it } from "vitest";
import { generateLlmSyntheticQueries, parseQueryLines, renderQueryPrompt } from "./llm-synthetic-queries.js";

const drill: Product = { id: "drill", title: "Ryobi 18V Cordless Hammer Drill", fields: { brand: "Ryobi" }, locale: "en" };
const taladro: Product = { id: "taladro", title: "Taladro percutor 18V", fields: {}, locale: "es" };

function recordingLogger(): Logger & { records: { level: string; message: string; fields?: Record<string, unknown> }[] } {
  const records: { level: string; message: string; fields?: Record<string, unknown> }[] = [];
  return {
    records,
    log(level, message, fields) {
      records.push(fields === undefined ? { level, message } : { level, message, fields });
    },
  };
}

describe("parseQueryLines", () => {
  it("strips markers and quotes", () => {
    expect(parseQueryLines('1. cordless drill\n- "ryobi drill"\n* 18v drill\n2) 「ドリル」\n\n')).toEqual([
      "cordless drill",
      "ryobi drill",
      "18v drill",
      "ドリル",
    ]);
  });

  it("drops prose-length lines", () => {
    expect(parseQueryLines("x".repeat(101))).toEqual([]);
  });
});

describe("renderQueryPrompt", () => {
  it("names count, language and title", () => {
    const prompt = renderQueryPrompt(taladro, 3);
    expect(prompt).toContain("Write 3 different search queries");
    expect(prompt).toContain("in Spanish");
    expect(prompt).toContain("Title: Taladro percutor 18V");
  });
});

describe("generateLlmSyntheticQueries", () => {
  it("keeps up to maxPerProduct", async () => {
    const result = await generateLlmSyntheticQueries([drill], {
      complete: async () => "Cordless Drill\nryobi drill\n18v drill",
      maxPerProduct: 2,
    });
    expect(result.queries.map((query) => query.text)).toEqual(["cordless drill", "ryobi drill"]);
  });

  it("marks the llm template", async () => {
    const result = await generateLlmSyntheticQueries([drill], { complete: async () => "drill", maxPerProduct: 2 });
    expect(result.queries[0]).toMatchObject({ template: "llm", sourceProductId: "drill", locale: "en" });
  });

  it("drops duplicates and excluded texts", async () => {
    const result = await generateLlmSyntheticQueries([drill], {
      complete: async () => "drill\nDrill\nhammer drill",
      maxPerProduct: 5,
      excludeTexts: ["hammer drill"],
    });
    expect(result.queries.map((query) => query.text)).toEqual(["drill"]);
  });

  it("records a rejected request", async () => {
    const logger = recordingLogger();
    const result = await generateLlmSyntheticQueries([drill, taladro], {
      complete: async (prompt) => {
        if (prompt.includes("Ryobi")) throw new Error("connection refused");
        return "taladro";
      },
      maxPerProduct: 2,
      logger,
    });
    expect(result.failures).toEqual([{ productId: "drill", code: "completion_failed", message: "connection refused" }]);
    expect(result.queries.map((query) => query.sourceProductId)).toEqual(["taladro"]);
    expect(logger.records[0]?.level).toBe("warn");
    expect(logger.records[0]?.fields?.productId).toBe("drill");
  });

  it("records an empty output", async () => {
    const result = await generateLlmSyntheticQueries([drill], { complete: async () => "\n \n", maxPerProduct: 2 });
    expect(result.failures.map((failure) => failure.code)).toEqual(["no_queries"]);
  });

  it("asks only selected products", async () => {
    const prompts: string[] = [];
    await generateLlmSyntheticQueries([drill, taladro], {
      complete: async (prompt) => {
        prompts.push(prompt);
        return "query";
      },
      maxPerProduct: 1,
      productsWithFewQueries: new Set(["taladro"]),
    });
    expect(prompts.length).toBe(1);
    expect(prompts[0]).toContain("Taladro");
  });
});
