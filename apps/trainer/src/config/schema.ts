import { z } from "zod";

const positiveInt = z.number().int().positive();
const fraction = z.number().min(0).max(1);

const homeDepotSource = z
  .object({
    kind: z.literal("homedepot"),
    /** The Kaggle `train.csv.zip` or an extracted `train.csv`. */
    path: z.string().min(1),
    encoding: z.enum(["latin1", "utf-8"]).default("latin1"),
    /** Policy for a product listed with two titles, or a pair rated twice: stop, or keep the first row and warn. */
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
    encoding: z.enum(["utf-8", "latin1"]).default("utf-8"),
    /** Renames the expected columns, e.g. `{ query: search_term, productId: sku }`. */
    columns: z
      .object({
        query: z.string().min(1),
        productId: z.string().min(1),
        title: z.string().min(1),
        grade: z.string().min(1),
        queryId: z.string().min(1),
        locale: z.string().min(1),
      })
      .partial()
      .strict()
      .optional(),
    /** Maps text labels such as "E" or "exact" to grades. */
    gradeMapping: z.record(z.string(), z.number().int().min(0).max(2)).optional(),
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

/**
 * A frozen pretrained transformer in a local directory (`config.json`, `tokenizer.json`,
 * `onnx/model.onnx`). When it is set, Stage 1 trains only a head with the model's hiddenDims,
 * outputDim and activation on top of it, and the n-gram options are unused.
 */
const backboneSchema = z
  .object({
    path: z.string().min(1),
    /** Tokens per text, [CLS] and [SEP] included; longer texts are truncated. */
    maxLength: positiveInt.default(128),
    /** Texts per ONNX Runtime call of the backbone. */
    batchSize: positiveInt.default(32),
    /** Put before each query and product text, such as "query: " and "passage: " for E5 models. */
    queryPrefix: z.string().default(""),
    productPrefix: z.string().default(""),
    /** Folder of the backbone vector cache; by default `cache/backbone` inside the run folder. */
    cacheDir: z.string().min(1).optional(),
    /** Writes a tiny random model with a vocabulary from the data set at `path` when it has no config.json (demos and tests). */
    generateTiny: z
      .object({ hiddenSize: positiveInt.default(32), seed: z.number().int().default(0), maxWords: positiveInt.default(5000) })
      .strict()
      .optional(),
  })
  .strict();

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
    backbone: backboneSchema.optional(),
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
    /**
     * Grouping of queries into batches: at random, or queries sharing their last word (the head noun
     * of most English product queries) together, which makes in-batch negatives harder.
     */
    grouping: z.enum(["random", "head-word"]).default("random"),
    loss: lossSchema,
  })
  .strict()
  .prefault({});

const stage2Schema = z
  .object({
    enabled: z.boolean().default(true),
    index: z
      .object({
        kind: z.enum(["auto", "ivf_pq", "hnsw", "none"]).default("auto"),
        minRowsForIndex: positiveInt.default(10_000),
        numPartitions: positiveInt.optional(),
        numSubVectors: positiveInt.optional(),
        nprobes: positiveInt.default(32),
        refineFactor: positiveInt.default(10),
        recallSample: positiveInt.default(300),
      })
      .strict()
      .prefault({}),
    mining: z
      .object({
        k: positiveInt.default(100),
        minRank: positiveInt.default(3),
        maxRank: positiveInt.default(50),
        margin: z.number().positive().optional(),
        minScore: z.number().min(-1).max(1).optional(),
        maxCandidatesPerQuery: positiveInt.default(8),
        maxQueries: positiveInt.optional(),
        batchSize: positiveInt.default(256),
      })
      .strict()
      .prefault({}),
    judge: z
      .object({
        kind: z.enum(["local"]).default("local"),
        /**
         * Adds the Stage 1 cosine of the pair as a feature of the local judge. The judge is then
         * trained on half of the dev queries, because Stage 1 has fitted the training pairs.
         */
        useCosine: z.boolean().default(false),
        minConfidence: z.number().min(0).max(1).default(0),
        seed: z.number().int().default(11),
      })
      .strict()
      .prefault({}),
    /** Largest share of mined pairs among Stage 2 training pairs; the rest are the original judged pairs. */
    minedShare: z.number().min(0).max(1).default(0.5),
    epochs: positiveInt.default(3),
    queriesPerBatch: positiveInt.default(64),
    productsPerQuery: positiveInt.default(12),
    learningRate: z
      .object({ embedding: z.number().positive().default(0.003), dense: z.number().positive().default(0.0003) })
      .strict()
      .prefault({}),
    weightDecay: z.number().min(0).default(0.01),
    warmupSteps: z.number().int().min(0).default(50),
    decay: z.enum(["linear", "cosine", "constant"]).default("linear"),
    clipNorm: z.number().positive().default(5),
    logEvery: positiveInt.default(50),
    loss: z
      .object({
        type: z.enum(["circle", "supcon"]).default("circle"),
        scale: z.number().positive().default(32),
        margin: z.number().min(0).max(1).default(0.25),
        adaptiveMargin: z.boolean().default(true),
        unjudgedAs: z.enum(["irrelevant", "ignore"]).default("irrelevant"),
        temperature: z.number().positive().default(0.05),
      })
      .strict()
      .prefault({}),
  })
  .strict()
  .prefault({});

const exportSchema = z
  .object({
    /** Writes an ONNX model of every trained checkpoint into `stages/export/<stage>/model.onnx`. */
    enabled: z.boolean().default(true),
    /** Products and query texts on which the exported model is compared with the TypeScript forward. */
    paritySample: positiveInt.default(512),
    /** "onnx": the evaluate stage embeds through the exported models instead of the checkpoints. */
    embedWith: z.enum(["typescript", "onnx"]).default("typescript"),
  })
  .strict()
  .prefault({});

const evaluationSchema = z
  .object({
    split: z.enum(["dev", "test"]).default("test"),
    ks: z.array(positiveInt).default([10, 50, 100]),
    /**
     * Systems evaluated next to the trained models. "bm25-lancedb" is BM25 through LanceDB full-text
     * search; "hybrid" fuses the last trained model with bm25, by a dense weight chosen on dev and by RRF.
     */
    baselines: z.array(z.enum(["bm25", "bm25-lancedb", "untrained", "hybrid"])).default(["bm25", "untrained", "hybrid"]),
    maxQueries: positiveInt.optional(),
    /** Gains of NDCG: "graded" (2^grade − 1) or "esci" (by ESCI raw label, so only for ESCI data). */
    gains: z.enum(["graded", "esci"]).default("graded"),
    /** Lowest grade that recall, precision, MRR and MAP count as relevant. */
    minGrade: z.union([z.literal(1), z.literal(2)]).default(1),
    /** Adds a seeded misspelled copy of each evaluated query as the "typo:misspelled" segment. */
    typos: z.boolean().default(true),
    /** Resamples of the bootstrap intervals and randomization tests. */
    samples: positiveInt.default(2000),
  })
  .strict()
  .prefault({});

const storeSchema = z
  .object({
    /** Turns the store off: labels then come straight from the data source, and runs are not recorded. */
    enabled: z.boolean().default(true),
    /** A `postgres://` or `postgresql://` URL; `${VAR}` keeps the password out of the file. */
    url: z.string().min(1).optional(),
    /** Folder of the embedded PGlite store when no `url` is given. Default: `store/` inside the run folder. */
    directory: z.string().min(1).optional(),
    /** Name the data set is stored under. Default: the data set's own name. */
    dataset: z.string().min(1).optional(),
    /** Judgment sources the training labels are chosen from, by precedence. Default: all. */
    sources: z.array(z.enum(["human", "judge", "llm", "audit", "expert"])).min(1).optional(),
  })
  .strict()
  .prefault({});

/** Settings of the offline judge: softmax regression over pair features, trained on the train split's human labels. */
const localJudgeSchema = z
  .object({
    epochs: positiveInt.default(30),
    learningRate: z.number().positive().default(0.05),
    l2: z.number().min(0).default(0.001),
    batchSize: positiveInt.default(256),
    seed: z.number().int().default(1),
    maxBrands: positiveInt.default(10_000),
    /** A Stage 1 `checkpoint/` folder; its two-tower cosine becomes one more feature of the judge. */
    checkpoint: z.string().min(1).optional(),
  })
  .strict()
  .prefault({});

/** An OpenAI-compatible chat-completions server. */
const llmJudgeSchema = z
  .object({
    /** API root before `/chat/completions`, such as `http://127.0.0.1:8000/v1`. */
    baseUrl: z.string().url(),
    model: z.string().min(1),
    /** Name of the environment variable that contains the API key; leave it out for a local server. */
    apiKeyEnv: z.string().min(1).optional(),
    concurrency: positiveInt.default(4),
    timeoutMs: positiveInt.default(60_000),
    maxRetries: z.number().int().min(0).default(4),
    /** US dollars per million tokens, for the cost in logs and the judge cache. */
    pricing: z.object({ inputPerMillion: z.number().min(0), outputPerMillion: z.number().min(0) }).strict().optional(),
  })
  .strict();

const JUDGE_KINDS = ["human", "local", "llm", "cascade"] as const;

const labelsSchema = z
  .object({
    /** Judge of the pipeline. "cascade" asks the local judge first and the LLM when its confidence is below `cascade.minConfidence`. */
    judge: z.enum(JUDGE_KINDS).default("human"),
    local: localJudgeSchema,
    llm: llmJudgeSchema.optional(),
    cascade: z.object({ minConfidence: fraction.default(0.8) }).strict().prefault({}),
    /** Pairs the labels stage grades with the judge: "none", or every judged pair of the train split. */
    regrade: z.enum(["none", "train"]).default("none"),
    /**
     * Plants label errors for experiments: a seeded share of the train split's grades is replaced by
     * one of the other two grades before the judge runs. The true grades are kept in the stage folder.
     */
    flip: z.object({ fraction: fraction, seed: z.number().int().default(7) }).strict().optional(),
  })
  .strict()
  .refine((labels) => (labels.judge !== "llm" && labels.judge !== "cascade") || labels.llm !== undefined, {
    path: ["llm"],
    message: 'judges "llm" and "cascade" need labels.llm with baseUrl and model',
  })
  .prefault({});

const auditSchema = z
  .object({
    enabled: z.boolean().default(false),
    /**
     * Engagement of the train split's pairs. "simulate": seeded shoppers driven by `trueGrades`
     * ("labels": the current labels, "data": the labels the data stage read, before `labels.flip`
     * or a judge changed them, or a JSONL file of {queryId, productId, grade}). "events": an event
     * log. "aggregates": a table of totals.
     */
    engagement: z
      .discriminatedUnion("kind", [
        z
          .object({
            kind: z.literal("simulate"),
            seed: z.number().int().default(5),
            meanClicksPerQuery: z.number().positive().default(8.6),
            trueGrades: z.union([z.enum(["labels", "data"]), z.object({ path: z.string().min(1) }).strict()]).default("labels"),
          })
          .strict(),
        z.object({ kind: z.literal("events"), path: z.string().min(1) }).strict(),
        z
          .object({
            kind: z.literal("aggregates"),
            path: z.string().min(1),
            /** ISO 8601 window of the totals when the table has no window columns. */
            window: z.object({ start: z.string(), end: z.string() }).strict().optional(),
          })
          .strict(),
      ])
      .prefault({ kind: "simulate" }),
    /** Position-bias correction: "pbm" fits the position-based model, "ipw" weights clicks by 1/position. */
    correction: z.enum(["pbm", "ipw"]).default("pbm"),
    rules: z
      .object({
        minExpectedExaminations: z.number().min(0).default(20),
        minConfidence: fraction.default(0.9),
        priorStrength: z.number().positive().default(20),
        minConversions: z.number().int().min(0).default(2),
        /** Grades checked by the under-graded rule (add-to-cart or purchase evidence). */
        underGradedGrades: z.array(z.number().int().min(0).max(2)).default([0]),
        /** Grades checked by the over-graded rule (examined but rarely clicked). */
        overGradedGrades: z.array(z.number().int().min(0).max(2)).default([2]),
      })
      .strict()
      .prefault({}),
    /**
     * Judge that re-grades flagged pairs, configured in `labels`. "oracle" is for experiments only:
     * it returns the data stage's grade (before `labels.flip`) with probability `oracleAccuracy`.
     */
    judge: z.enum([...JUDGE_KINDS, "oracle"]).default("local"),
    oracleAccuracy: fraction.default(0.9),
    /** Writes the findings here as CSV for expert review. */
    exportCsv: z.string().min(1).optional(),
    /** Reads expert grades from a reviewed findings CSV; they take precedence over the judge's. */
    importCsv: z.string().min(1).optional(),
  })
  .strict()
  .prefault({});

const typoAugmentationSchema = z
  .object({
    enabled: z.boolean().default(false),
    /**
     * "additive": misspelled copies per clean training query, where a fractional part f adds one more
     * copy with probability f. "replace": probability in [0, 1] that a query's text is replaced.
     */
    ratio: z.number().min(0).default(1),
    /** "replace" trains without the clean texts of the chosen queries and exists for ablations only. */
    mode: z.enum(["additive", "replace"]).default("additive"),
    /** Seed of the misspellings. Default: the run's `seed`. */
    seed: z.number().int().optional(),
    /** Typo generator options; an option left out keeps the generator's default. */
    generator: z
      .object({
        minTokenLength: positiveInt.optional(),
        minCjkTokenLength: positiveInt.optional(),
        baseProbability: fraction.optional(),
        probabilityPerExtraCharacter: fraction.optional(),
        maxProbability: fraction.optional(),
        keepNumbers: z.boolean().optional(),
        editWeights: z
          .object({
            substitution: z.number().min(0),
            deletion: z.number().min(0),
            insertion: z.number().min(0),
            transposition: z.number().min(0),
            doubling: z.number().min(0),
            mergeWords: z.number().min(0),
            splitWord: z.number().min(0),
          })
          .partial()
          .strict()
          .optional(),
      })
      .strict()
      .prefault({}),
  })
  .strict()
  .refine((typos) => typos.mode !== "replace" || typos.ratio <= 1, {
    path: ["ratio"],
    message: 'with mode "replace" the ratio is the probability that a query is replaced: use a value in [0, 1]',
  })
  .prefault({});

const syntheticAugmentationSchema = z
  .object({
    enabled: z.boolean().default(false),
    /** Template queries kept per selected product. */
    maxPerProduct: positiveInt.default(2),
    /** Products judged with at most this many training queries get synthetic queries. */
    maxJudgedQueries: z.number().int().min(0).default(1),
    /** Seed of the template choice. Default: the run's `seed`. */
    seed: z.number().int().optional(),
    /**
     * Grades each synthetic query against its source product. "local" trains the offline judge on the
     * training split's human labels, "llm" asks an OpenAI-compatible server, and
     * "human-oracle-for-tests" accepts every template query as relevant (for pipeline tests only).
     */
    judge: z.enum(["local", "human-oracle-for-tests", "llm"]).default("local"),
    /** Grades with a lower judge confidence are dropped. */
    minConfidence: fraction.default(0.5),
    /** Maximum share of synthetic queries in a Stage 1 batch. */
    maxShare: fraction.default(0.25),
    /** Server of the "llm" judge. */
    llm: z
      .object({
        baseUrl: z.string().url(),
        model: z.string().min(1),
        /** Name of the environment variable that contains the API key; leave it out for a local server. */
        apiKeyEnv: z.string().min(1).optional(),
        concurrency: positiveInt.default(4),
        timeoutMs: positiveInt.default(60_000),
      })
      .strict()
      .optional(),
  })
  .strict()
  .refine((synthetic) => !synthetic.enabled || synthetic.judge !== "llm" || synthetic.llm !== undefined, {
    path: ["llm"],
    message: 'judge "llm" needs augmentation.synthetic.llm with baseUrl and model',
  })
  .prefault({});

const augmentationSchema = z
  .object({ typos: typoAugmentationSchema, synthetic: syntheticAugmentationSchema })
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
    augmentation: augmentationSchema,
    labels: labelsSchema,
    audit: auditSchema,
    stage1: stage1Schema,
    stage2: stage2Schema,
    export: exportSchema,
    evaluation: evaluationSchema,
    store: storeSchema,
  })
  .strict();

export type TrainConfig = z.infer<typeof trainConfigSchema>;
export type DataSourceConfig = z.infer<typeof dataSourceSchema>;
export type AugmentationConfig = z.infer<typeof augmentationSchema>;
export type StoreConfig = z.infer<typeof storeSchema>;
export type LabelsConfig = z.infer<typeof labelsSchema>;
export type AuditConfig = z.infer<typeof auditSchema>;
export type JudgeKind = (typeof JUDGE_KINDS)[number];
