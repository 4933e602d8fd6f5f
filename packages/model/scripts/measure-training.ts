/**
 * Measures training throughput, in (query, product) pairs per second, of the default real-data
 * encoder (2^18 buckets, 256-wide bag, one 512-wide hidden layer, 256 outputs) with ONNX Runtime
 * matrix products and the SupCon loss.
 *
 * Texts come from the Home Depot training CSV when MINE_REFINE_DATA_DIR is set (the folder that
 * contains homedepot-kaggle/), otherwise from generated titles of similar length. Each batch has 64
 * queries with up to 8 products each (their judged products first, random fill after).
 *
 *   pnpm --filter @mine-refine/losses build
 *   cd packages/model && pnpm exec tsx scripts/measure-training.ts [steps] [intraOpNumThreads] [spin]
 */
import { readFileSync } from "node:fs";
import { loadavg } from "node:os";
import { join } from "node:path";
import { inflateRawSync } from "node:zlib";
import { GRADE_IRRELEVANT, GRADE_MODERATE, GRADE_RELEVANT, type Grade, Rng } from "@mine-refine/core";
import { type TrainingBatch, UNJUDGED, createSupConLoss } from "@mine-refine/losses";
import { DEFAULT_ENCODER_CONFIG, TwoTowerEncoder } from "../src/index.js";
import { OrtMatmul } from "../src/ort.js";
import { trainEncoder } from "../src/train.js";

const QUERIES_PER_BATCH = 64;
const PRODUCTS_PER_QUERY = 8;

interface Corpus {
  source: string;
  queries: string[];
  products: string[];
  /** grade of "queryIndex:productIndex" */
  grades: Map<string, Grade>;
  productsOfQuery: number[][];
}

/** Reads the single member of a zip file written with deflate or store (no zip64, no encryption). */
function readSingleZipMember(path: string): Buffer {
  const zip = readFileSync(path);
  if (zip.readUInt32LE(0) !== 0x04034b50) throw new Error(`${path}: not a zip local file header`);
  const method = zip.readUInt16LE(8);
  const compressedSize = zip.readUInt32LE(18);
  const start = 30 + zip.readUInt16LE(26) + zip.readUInt16LE(28);
  const body = zip.subarray(start, start + compressedSize);
  return method === 0 ? body : inflateRawSync(body);
}

/** Splits one CSV line with double-quoted fields. Home Depot titles contain no line breaks. */
function splitCsvLine(line: string): string[] {
  const fields: string[] = [];
  let field = "";
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const character = line[i]!;
    if (quoted) {
      if (character === '"' && line[i + 1] === '"') {
        field += '"';
        i++;
      } else if (character === '"') quoted = false;
      else field += character;
    } else if (character === '"') quoted = true;
    else if (character === ",") {
      fields.push(field);
      field = "";
    } else field += character;
  }
  fields.push(field);
  return fields;
}

function gradeOfMeanRating(rating: number): Grade {
  if (rating >= 2.5) return GRADE_RELEVANT;
  if (rating >= 1.75) return GRADE_MODERATE;
  return GRADE_IRRELEVANT;
}

function loadHomeDepot(dataDir: string): Corpus {
  const text = readSingleZipMember(join(dataDir, "homedepot-kaggle", "train.csv.zip")).toString("latin1");
  const queryIndex = new Map<string, number>();
  const productIndex = new Map<string, number>();
  const corpus: Corpus = { source: "Home Depot train.csv", queries: [], products: [], grades: new Map(), productsOfQuery: [] };
  for (const line of text.split(/\r?\n/).slice(1)) {
    if (line === "") continue;
    const [, productUid, title, searchTerm, relevance] = splitCsvLine(line);
    if (productUid === undefined || title === undefined || searchTerm === undefined || relevance === undefined) continue;
    let q = queryIndex.get(searchTerm);
    if (q === undefined) {
      q = corpus.queries.push(searchTerm) - 1;
      queryIndex.set(searchTerm, q);
      corpus.productsOfQuery.push([]);
    }
    let p = productIndex.get(productUid);
    if (p === undefined) {
      p = corpus.products.push(title) - 1;
      productIndex.set(productUid, p);
    }
    corpus.grades.set(`${q}:${p}`, gradeOfMeanRating(Number(relevance)));
    corpus.productsOfQuery[q]!.push(p);
  }
  return corpus;
}

function generateCorpus(rng: Rng): Corpus {
  const letters = "abcdefghijklmnopqrstuvwxyz";
  const vocabulary = Array.from({ length: 20000 }, () => Array.from({ length: 3 + rng.int(7) }, () => letters[rng.int(26)]).join(""));
  const phrase = (words: number) => Array.from({ length: words }, () => rng.pick(vocabulary)).join(" ");
  const products = Array.from({ length: 50000 }, () => phrase(6 + rng.int(8)));
  const queries = Array.from({ length: 10000 }, () => phrase(1 + rng.int(4)));
  const corpus: Corpus = { source: "generated texts", queries, products, grades: new Map(), productsOfQuery: [] };
  for (let q = 0; q < queries.length; q++) {
    const judged = Array.from({ length: 6 }, () => rng.int(products.length));
    corpus.productsOfQuery.push(judged);
    for (const p of judged) corpus.grades.set(`${q}:${p}`, rng.pick([GRADE_RELEVANT, GRADE_MODERATE, GRADE_IRRELEVANT]));
  }
  return corpus;
}

function* sampleBatches(corpus: Corpus, rng: Rng): Generator<TrainingBatch> {
  for (;;) {
    const queries = Array.from({ length: QUERIES_PER_BATCH }, () => rng.int(corpus.queries.length));
    const products: number[] = [];
    const seen = new Set<number>();
    for (const q of queries) {
      const own = rng.shuffle([...corpus.productsOfQuery[q]!]).slice(0, PRODUCTS_PER_QUERY);
      while (own.length < PRODUCTS_PER_QUERY) own.push(rng.int(corpus.products.length));
      for (const p of own) {
        if (seen.has(p)) continue;
        seen.add(p);
        products.push(p);
      }
    }
    const grades = new Int8Array(queries.length * products.length).fill(UNJUDGED);
    queries.forEach((q, i) => {
      products.forEach((p, j) => {
        const grade = corpus.grades.get(`${q}:${p}`);
        if (grade !== undefined) grades[i * products.length + j] = grade;
      });
    });
    yield { queryIds: queries.map(String), productIds: products.map(String), grades };
  }
}

async function main(): Promise<void> {
  const steps = Number(process.argv[2] ?? 30);
  const threads = Number(process.argv[3] ?? 2);
  const allowSpinning = process.argv[4] === "spin";
  const rng = new Rng(1);
  const dataDir = process.env.MINE_REFINE_DATA_DIR;
  const corpus = dataDir ? loadHomeDepot(dataDir) : generateCorpus(rng.fork("corpus"));

  const matmul = new OrtMatmul({ intraOpNumThreads: threads, allowSpinning });
  const encoder = new TwoTowerEncoder(DEFAULT_ENCODER_CONFIG, { matmul, seed: 1 });
  const queryFeatures = new Map<string, Int32Array>();
  const productFeatures = new Map<string, Int32Array>();
  const cached = (cache: Map<string, Int32Array>, id: string, featurize: () => Int32Array) => {
    let features = cache.get(id);
    if (features === undefined) {
      features = featurize();
      cache.set(id, features);
    }
    return features;
  };
  // Featurize everything up front, as a trainer that caches features would, so the timing covers training only.
  corpus.queries.forEach((text, i) => queryFeatures.set(String(i), encoder.featurizer.featurizeQuery(text)));
  corpus.products.forEach((title, i) => productFeatures.set(String(i), encoder.featurizer.featurizeProduct({ id: String(i), title, fields: {} })));

  const warmupSteps = 3;
  const perStep: number[] = [];
  let cpuAtWarmup: NodeJS.CpuUsage | undefined;
  const summary = await trainEncoder({
    encoder,
    batches: sampleBatches(corpus, rng.fork("batches")),
    featuresForQuery: (id) => cached(queryFeatures, id, () => encoder.featurizer.featurizeQuery(corpus.queries[Number(id)]!)),
    featuresForProduct: (id) => cached(productFeatures, id, () => encoder.featurizer.featurizeProduct({ id, title: corpus.products[Number(id)]!, fields: {} })),
    loss: createSupConLoss(),
    totalSteps: steps + warmupSteps,
    optimizer: { learningRate: 1e-3, warmupSteps: 0 },
    onStep: (info) => {
      if (info.step === warmupSteps) cpuAtWarmup = process.cpuUsage();
      if (info.step > warmupSteps) perStep.push(info.stepSeconds);
    },
  });
  // CPU time of every thread of the process (ONNX Runtime's included), which other jobs on the machine
  // inflate less than wall-clock time.
  const cpu = process.cpuUsage(cpuAtWarmup);
  await matmul.dispose();

  const pairsPerStep = summary.pairs / summary.steps;
  const seconds = perStep.reduce((sum, value) => sum + value, 0);
  const result = {
    source: corpus.source,
    steps: perStep.length,
    intraOpNumThreads: threads,
    allowSpinning,
    meanPairsPerStep: Math.round(pairsPerStep),
    meanStepMs: Math.round((seconds / perStep.length) * 1000),
    pairsPerSecond: Math.round((pairsPerStep * perStep.length) / seconds),
    cpuMsPerStep: Math.round((cpu.user + cpu.system) / 1000 / perStep.length),
    loadAverage: Number(loadavg()[0].toFixed(2)),
    firstLoss: summary.losses[0],
    lastLoss: summary.losses.at(-1),
  };
  process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
}

await main();
