import { z } from "zod";

const positiveInt = z.number().int().positive();
const fraction = z.number().min(0).max(1);

const homeDepotSource = z
  .object({
    kind: z.literal("homedepot"),
    /** The Kaggle `train.csv.zip` or an extracted `train.csv`. */
    path: z.string().min(1),
    encoding: z.enum(["latin1", "utf-8"]).default("latin1"),
    /** What to do with a product listed with two titles, or a pair rated twice: stop, or keep the first row and warn. */
    onConflict: z.enum(["error", "keep-first"]).default("error"),
    thresholds: z
      .object({ relevant: z.number().default(2.5), moderate: z.number().default(1.75) })
      .strict()
      .prefault({}),
  })
  .strict();

const esciSource = z
  .object({
    kind: z.literal("esci"),
    examplesPath: z.string().min(1),
    productsPath: z.string().min(1),
    locale: z.string().optional(),
    split: z.enum(["train", "test"]).optional(),
    smallVersion: z.boolean().optional(),
    onConflict: z.enum(["error", "keep-first"]).default("error"),
    mapping: z
      .object({
        E: z.number().int().min(0).max(2),
        S: z.number().int().min(0).max(2),
        C: z.number().int().min(0).max(2),
        I: z.number().int().min(0).max(2),
      })
      .strict()
      .optional(),
  })
  .strict();

const genericSource = z
  .object({
    kind: z.literal("generic"),
    path: z.string().min(1),
    productFields: z.array(z.string()).optional(),
    onConflict: z.enum(["error", "keep-first"]).default("error"),
  })
  .strict();

const demoSource = z
  .object({
    kind: z.literal("demo"),
    seed: z.number().int().default(7),
    products: positiveInt.default(3000),
    queriesPerLocale: positiveInt.default(500),
  })
  .strict();

export const dataSourceSchema = z.discriminatedUnion("kind", [demoSource, homeDepotSource, esciSource, genericSource]);

const splitSchema = z
  .object({
    seed: z.number().int().default(13),
    devFraction: fraction.default(0.1),
    testFraction: fraction.default(0.1),
  })
  .strict()
  .prefault({});

const modelSchema = z
  .object({
    buckets: positiveInt.default(1 << 18),
    embeddingDim: positiveInt.default(256),
    hiddenDims: z.array(positiveInt).default([512]),
    outputDim: positiveInt.default(256),
    pooling: z.enum(["mean", "sqrt"]).default("sqrt"),
    activation: z.enum(["relu", "gelu"]).default("relu"),
    wordNgrams: z.array(z.number().int().min(1).max(3)).default([1, 2]),
    charNgramsLatin: z.tuple([positiveInt, positiveInt]).default([3, 5]),
    charNgramsCjk: z.tuple([positiveInt, positiveInt]).default([1, 2]),
    productFields: z.array(z.string()).default(["title", "brand"]),
  })
  .strict()
  .prefault({});

const lossSchema = z
  .object({
    type: z.enum(["supcon", "infonce"]).default("supcon"),
    temperature: z.number().positive().default(0.05),
    moderateAs: z.enum(["positive", "ignore", "negative"]).default("positive"),
    moderateWeight: z.number().gt(0).max(1).default(0.5),
  })
  .strict()
  .prefault({});

const stage1Schema = z
  .object({
    epochs: positiveInt.default(5),
    queriesPerBatch: positiveInt.default(64),
    productsPerQuery: positiveInt.default(8),
    learningRate: z
      .object({ embedding: z.number().positive().default(0.01), dense: z.number().positive().default(0.001) })
      .strict()
      .prefault({}),
    weightDecay: z.number().min(0).default(0.01),
    warmupSteps: z.number().int().min(0).default(100),
    decay: z.enum(["linear", "cosine", "constant"]).default("linear"),
    clipNorm: z.number().positive().default(5),
    logEvery: positiveInt.default(50),
    loss: lossSchema,
  })
  .strict()
  .prefault({});

const evaluationSchema = z
  .object({
    split: z.enum(["dev", "test"]).default("test"),
    ks: z.array(positiveInt).default([10, 50, 100]),
    baselines: z.array(z.enum(["bm25", "untrained"])).default(["bm25", "untrained"]),
    maxQueries: positiveInt.optional(),
  })
  .strict()
  .prefault({});

export const trainConfigSchema = z
  .object({
    name: z.string().regex(/^[\w.-]+$/, "use letters, digits, '.', '_' or '-'"),
    runDir: z.string().min(1),
    seed: z.number().int().default(42),
    threads: positiveInt.default(2),
    data: z.object({ source: dataSourceSchema, split: splitSchema }).strict(),
    model: modelSchema,
    stage1: stage1Schema,
    evaluation: evaluationSchema,
  })
  .strict();

export type TrainConfig = z.infer<typeof trainConfigSchema>;
export type DataSourceConfig = z.infer<typeof dataSourceSchema>;
