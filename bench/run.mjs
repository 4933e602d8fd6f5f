#!/usr/bin/env node
/**
 * Benchmarks of the default encoder on real data, written to docs/benchmarks.md.
 *
 *   pnpm turbo run build --filter @mine-refine/model...
 *   MINE_REFINE_DATA_DIR=/path/to/data node bench/run.mjs [training] [encode] [scale] [page] [options]
 *
 * With no section named it runs training, encode and page. Each measurement runs in its own child
 * process, so its peak RSS is its own. Results are merged into bench/results.json, and the page is
 * rendered from that file, so a section measured on another day keeps its recorded figures.
 *
 * Options:
 *   --windows N          timed windows per measurement (default 5); medians are over windows
 *   --scale-products N   products of the generated scale catalog (default 1000000)
 *   --scale-pairs N      training pairs of the scale run (default 4000000)
 *   --scale-model NAME   "default" (2^18 buckets, 256 → [512] → 256) or "small" (2^20 buckets, 64 → [128] → 64)
 *
 * Imports the built `dist` of the workspace packages. Reads no network resource.
 */
import { execFileSync, spawn } from "node:child_process";
import { readFileSync, writeFileSync, existsSync, mkdtempSync, rmSync } from "node:fs";
import { createRequire } from "node:module";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const resultsFile = path.join(root, "bench", "results.json");
const pageFile = path.join(root, "docs", "benchmarks.md");
const QUERIES_PER_BATCH = 64;
const PRODUCTS_PER_QUERY = 8;
const WARMUP_STEPS = 3;

const MODELS = {
  default: { featurizer: { buckets: 2 ** 18, seed: 0 }, embeddingDim: 256, hiddenDims: [512], outputDim: 256, pooling: "sqrt", activation: "gelu" },
  small: { featurizer: { buckets: 2 ** 20, seed: 0 }, embeddingDim: 64, hiddenDims: [128], outputDim: 64, pooling: "sqrt", activation: "gelu" },
};

function parseArguments(argv) {
  const sections = [];
  const options = { windows: 5, scaleProducts: 1_000_000, scalePairs: 4_000_000, scaleModel: "default", child: undefined, variant: undefined };
  for (let i = 0; i < argv.length; i++) {
    const argument = argv[i];
    const value = () => {
      const next = argv[++i];
      if (next === undefined) throw new Error(`${argument} needs a value`);
      return next;
    };
    if (argument === "--windows") options.windows = Number(value());
    else if (argument === "--scale-products") options.scaleProducts = Number(value());
    else if (argument === "--scale-pairs") options.scalePairs = Number(value());
    else if (argument === "--scale-model") options.scaleModel = value();
    else if (argument === "--child") options.child = value();
    else if (argument === "--variant") options.variant = value();
    else if (argument.startsWith("--")) throw new Error(`Unknown option ${argument}. The header of bench/run.mjs lists the options.`);
    else sections.push(argument);
  }
  if (!(options.scaleModel in MODELS)) throw new Error(`--scale-model must be "default" or "small", received ${options.scaleModel}`);
  return { sections: sections.length > 0 ? sections : ["training", "encode", "page"], options };
}

const loadAverage = () => Number(os.loadavg()[0].toFixed(2));
const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
};
const maxRssMiB = () => Math.round(process.resourceUsage().maxRSS / 1024);

async function importWorkspace() {
  const load = (name, entry = "index.js") => import(path.join(root, "packages", name, "dist", entry));
  const [core, data, losses, model, ort] = await Promise.all([load("core"), load("data"), load("losses"), load("model"), load("model", "ort.js")]);
  return { core, data, losses, model, ort };
}

function homeDepotPath() {
  const dataDir = process.env.MINE_REFINE_DATA_DIR;
  if (dataDir === undefined || dataDir === "") throw new Error("Set MINE_REFINE_DATA_DIR to the folder that contains homedepot-kaggle/.");
  return path.join(dataDir, "homedepot-kaggle", "train.csv.zip");
}

/** Trains and returns pairs/s per timed window of `stepsPerWindow` steps. */
async function measureTraining({ workspace, encoder, judgments, featuresForQuery, featuresForProduct, windows, stepsPerWindow }) {
  const sampler = workspace.losses.createBatchSampler({ judgments, queriesPerBatch: QUERIES_PER_BATCH, productsPerQuery: PRODUCTS_PER_QUERY, seed: 1, epochs: Number.POSITIVE_INFINITY });
  const results = [];
  let window = { pairs: 0, seconds: 0, loadAverageStart: loadAverage() };
  await workspace.model.trainEncoder({
    encoder,
    batches: sampler,
    featuresForQuery,
    featuresForProduct,
    loss: workspace.losses.createSupConLoss(),
    totalSteps: WARMUP_STEPS + windows * stepsPerWindow,
    optimizer: { learningRate: 1e-3 },
    onStep: (info) => {
      if (info.step <= WARMUP_STEPS) return;
      window.pairs += info.pairs;
      window.seconds += info.stepSeconds;
      if ((info.step - WARMUP_STEPS) % stepsPerWindow === 0) {
        results.push({ pairsPerSecond: Math.round(window.pairs / window.seconds), pairs: window.pairs, seconds: Number(window.seconds.toFixed(2)), loadAverage: [window.loadAverageStart, loadAverage()] });
        window = { pairs: 0, seconds: 0, loadAverageStart: loadAverage() };
      }
    },
  });
  return results;
}

function featureCache(encoder, dataset) {
  const queries = new Map(dataset.queries.map((query) => [query.id, encoder.featurizer.featurizeQuery(query.text)]));
  const products = new Map(dataset.products.map((product) => [product.id, encoder.featurizer.featurizeProduct(product)]));
  return { featuresForQuery: (id) => queries.get(id), featuresForProduct: (id) => products.get(id) };
}

/** Child: training pairs/s on Home Depot with the default encoder. */
async function childTraining(options) {
  const workspace = await importWorkspace();
  const dataset = await workspace.data.loadHomeDepot({ path: homeDepotPath(), onConflict: "keep-first" });
  const matmul = new workspace.ort.OrtMatmul({ intraOpNumThreads: 2 });
  const encoder = new workspace.model.TwoTowerEncoder(MODELS.default, { matmul, seed: 1 });
  const featurizeStart = performance.now();
  const lookups = featureCache(encoder, dataset);
  const featurizeSeconds = (performance.now() - featurizeStart) / 1000;
  const windows = await measureTraining({ workspace, encoder, judgments: dataset.judgments, ...lookups, windows: options.windows, stepsPerWindow: 10 });
  await matmul.dispose();
  return {
    embeddingThreads: 1,
    texts: dataset.products.length + dataset.queries.length,
    featurizeTextsPerSecond: Math.round((dataset.products.length + dataset.queries.length) / featurizeSeconds),
    pairsPerSecond: median(windows.map((window) => window.pairsPerSecond)),
    windows,
    maxRssMiB: maxRssMiB(),
  };
}

/** Child: product titles encoded per second, featurization included. Variant "typescript" or "onnx". */
async function childEncode(options) {
  const workspace = await importWorkspace();
  const dataset = await workspace.data.loadHomeDepot({ path: homeDepotPath(), onConflict: "keep-first" });
  const matmul = new workspace.ort.OrtMatmul({ intraOpNumThreads: 2 });
  const encoder = new workspace.model.TwoTowerEncoder(MODELS.default, { matmul, seed: 1 });
  let model = encoder;
  let temporary;
  if (options.variant === "onnx") {
    temporary = mkdtempSync(path.join(os.tmpdir(), "mine-refine-bench-"));
    const file = path.join(temporary, "model.onnx");
    await workspace.model.exportEncoderToOnnx(encoder, file);
    model = await workspace.ort.OnnxEncoder.load(file, { intraOpNumThreads: 2 });
  }
  const windowSize = 4000;
  await model.encodeProducts(dataset.products.slice(0, 1000));
  const windows = [];
  for (let w = 0; w < options.windows; w++) {
    const products = dataset.products.slice(1000 + w * windowSize, 1000 + (w + 1) * windowSize);
    const loadAverageStart = loadAverage();
    const start = performance.now();
    await model.encodeProducts(products);
    const seconds = (performance.now() - start) / 1000;
    windows.push({ textsPerSecond: Math.round(products.length / seconds), texts: products.length, seconds: Number(seconds.toFixed(2)), loadAverage: [loadAverageStart, loadAverage()] });
  }
  if (model !== encoder) await model.dispose();
  if (temporary !== undefined) rmSync(temporary, { recursive: true, force: true });
  await matmul.dispose();
  return { variant: options.variant, textsPerSecond: median(windows.map((window) => window.textsPerSecond)), windows, maxRssMiB: maxRssMiB() };
}

/** Generates a catalog of `productCount` titles and queries with four judged products each. */
function generateScaleDataset(core, productCount, rng) {
  const letters = "abcdefghijklmnopqrstuvwxyz";
  const vocabulary = Array.from({ length: 50_000 }, () => Array.from({ length: 3 + rng.int(7) }, () => letters[rng.int(26)]).join(""));
  const phrase = (words) => Array.from({ length: words }, () => vocabulary[rng.int(vocabulary.length)]).join(" ");
  const products = Array.from({ length: productCount }, (_, i) => ({ id: `p${i}`, title: phrase(6 + rng.int(8)), fields: {} }));
  const queryCount = Math.ceil(productCount / 4);
  const queries = Array.from({ length: queryCount }, (_, i) => ({ id: `q${i}`, text: phrase(1 + rng.int(4)) }));
  const grades = [core.GRADE_RELEVANT, core.GRADE_MODERATE, core.GRADE_IRRELEVANT];
  const judgments = [];
  for (let q = 0; q < queryCount; q++) {
    for (let k = 0; k < 4; k++) judgments.push({ queryId: `q${q}`, productId: `p${rng.int(productCount)}`, grade: grades[rng.int(3)], rawLabel: "generated" });
  }
  return { products, queries, judgments };
}

/** Child: featurize a generated catalog and train until `scalePairs` pairs. */
async function childScale(options) {
  const workspace = await importWorkspace();
  const startMs = performance.now();
  const loadAverageStart = loadAverage();
  const dataset = generateScaleDataset(workspace.core, options.scaleProducts, new workspace.core.Rng(3));
  const generateSeconds = (performance.now() - startMs) / 1000;
  const matmul = new workspace.ort.OrtMatmul({ intraOpNumThreads: 2 });
  const encoder = new workspace.model.TwoTowerEncoder(MODELS[options.scaleModel], { matmul, seed: 1 });
  const featurizeStart = performance.now();
  const lookups = featureCache(encoder, dataset);
  const featurizeSeconds = (performance.now() - featurizeStart) / 1000;
  const sampler = workspace.losses.createBatchSampler({ judgments: dataset.judgments, queriesPerBatch: QUERIES_PER_BATCH, productsPerQuery: PRODUCTS_PER_QUERY, seed: 1, epochs: Number.POSITIVE_INFINITY });
  // Stops the sampler once the pair budget is spent; trainEncoder stops when the batches run out.
  let pairs = 0;
  const budget = options.scalePairs;
  function* limited() {
    for (const batch of sampler) {
      if (pairs >= budget) return;
      pairs += batch.productIds.length;
      yield batch;
    }
  }
  const trainStart = performance.now();
  const summary = await workspace.model.trainEncoder({
    encoder,
    batches: limited(),
    ...lookups,
    loss: workspace.losses.createSupConLoss(),
    totalSteps: Number.MAX_SAFE_INTEGER,
    optimizer: { learningRate: 1e-3, decay: "constant" },
    onStep: (info) => {
      if (info.step % 500 === 0) process.stderr.write(`scale: step ${info.step}, ${pairs} pairs, ${Math.round(info.elapsedSeconds)} s, load average ${loadAverage()}\n`);
    },
  });
  const trainSeconds = (performance.now() - trainStart) / 1000;
  await matmul.dispose();
  return {
    model: options.scaleModel,
    products: dataset.products.length,
    queries: dataset.queries.length,
    judgments: dataset.judgments.length,
    steps: summary.steps,
    pairs: summary.pairs,
    generateSeconds: Number(generateSeconds.toFixed(1)),
    featurizeSeconds: Number(featurizeSeconds.toFixed(1)),
    trainSeconds: Number(trainSeconds.toFixed(1)),
    totalSeconds: Number(((performance.now() - startMs) / 1000).toFixed(1)),
    pairsPerSecond: Math.round(summary.pairs / trainSeconds),
    loadAverage: [loadAverageStart, loadAverage()],
    maxRssMiB: maxRssMiB(),
  };
}

/** Runs this script as a child for one measurement and returns the JSON it prints last. */
function runChild(section, variant, argv) {
  return new Promise((resolve, reject) => {
    const args = [fileURLToPath(import.meta.url), "--child", section, "--variant", String(variant), ...argv.filter((argument, i) => argument.startsWith("--") || argv[i - 1]?.startsWith("--"))];
    const child = spawn(process.execPath, ["--max-old-space-size=14000", ...args], { stdio: ["ignore", "pipe", "inherit"] });
    let output = "";
    child.stdout.on("data", (chunk) => {
      output += chunk;
    });
    child.on("error", reject);
    child.on("close", (code) => {
      if (code !== 0) reject(new Error(`${section} (${variant}) exited with code ${code}`));
      else resolve(JSON.parse(output.trim().split("\n").at(-1)));
    });
  });
}

function machine() {
  const cpuinfo = readFileSync("/proc/cpuinfo", "utf8");
  const modelName = /^model name\s*:\s*(.+)$/m.exec(cpuinfo)?.[1] ?? "unknown";
  const require = createRequire(path.join(root, "packages", "model", "package.json"));
  const ortVersion = JSON.parse(readFileSync(require.resolve("onnxruntime-node/package.json"), "utf8")).version;
  let commit = "unknown";
  try {
    commit = execFileSync("git", ["rev-parse", "--short", "HEAD"], { cwd: root, encoding: "utf8" }).trim();
  } catch {
    // Not a git checkout; the page then names no commit.
  }
  return {
    cpu: modelName,
    cores: os.cpus().length,
    memoryGiB: Number((os.totalmem() / 2 ** 30).toFixed(1)),
    node: process.version,
    onnxruntime: ortVersion,
    commit,
  };
}

function readResults() {
  return existsSync(resultsFile) ? JSON.parse(readFileSync(resultsFile, "utf8")) : {};
}

/** Adds one measurement to bench/results.json, re-reading it first so that concurrent runs do not drop each other's entries. */
function record(key, value) {
  const results = readResults();
  results[key] = { ...value, measuredAt: new Date().toISOString(), machine: machine() };
  writeFileSync(resultsFile, `${JSON.stringify(results, null, 1)}\n`);
}

const formatLoad = (windows) => {
  const values = windows.flatMap((window) => window.loadAverage);
  return `${Math.min(...values).toFixed(1)}–${Math.max(...values).toFixed(1)}`;
};

function renderPage(results) {
  const lines = [];
  const add = (...text) => lines.push(...text);
  const any = Object.values(results)[0];
  add("# Benchmarks", "");
  add(
    "Measured by `bench/run.mjs` on the built packages. Training and encoding figures are medians over timed windows after a",
    "warm-up, and the scale run is one run. The 1-minute load average (from `os.loadavg()`) is recorded next to every figure,",
    "because other jobs shared the CPU while these ran. A load average above the core count means that the benchmark got",
    "less than the whole machine. Raw windows are in [`bench/results.json`](../bench/results.json).",
    "",
  );
  if (any !== undefined) {
    const m = any.machine;
    add("## Machine", "", "| | |", "|---|---|");
    add(`| CPU | ${m.cpu} (from /proc/cpuinfo) |`, `| cores | ${m.cores} |`, `| RAM | ${m.memoryGiB} GiB |`, `| Node | ${m.node} |`, `| onnxruntime-node | ${m.onnxruntime} |`, `| commit | ${m.commit} |`, "");
  }

  const training = Object.entries(results).filter(([key]) => key.startsWith("training:"));
  if (training.length > 0) {
    add("## Training throughput (Home Depot)", "");
    add(
      `Default encoder (2^18 buckets, 256 → [512] → 256, GELU, sqrt pooling), SupCon loss, batches of ${QUERIES_PER_BATCH} queries × up to ${PRODUCTS_PER_QUERY}`,
      "judged products from the trainer's batch sampler, ONNX Runtime matmuls on 2 intra-op threads, features cached per text.",
      "A pair is one (query, product) of a batch: the products of a step. Windows of 10 steps after 3 warm-up steps.",
      "",
      "| embedding threads | pairs/s (median) | windows | load average | peak RSS | measured |",
      "|---|---|---|---|---|---|",
    );
    for (const [, value] of training) {
      add(`| ${value.embeddingThreads} | ${value.pairsPerSecond} | ${value.windows.map((window) => window.pairsPerSecond).join(", ")} | ${formatLoad(value.windows)} | ${value.maxRssMiB} MiB | ${value.measuredAt.slice(0, 16)} |`);
    }
    const one = results["training:1"];
    const two = results["training:2"];
    if (one !== undefined && two !== undefined) {
      add(
        "",
        `The 2-thread row measured a split of the embedding bag and lazy Adam columns over a worker thread (commit 4b43fcc).`,
        "Measured back to back with a 1-thread run at the same load (1805 against 1516 pairs/s at load 5.0–5.4), it was 0.84 times as fast, so it was removed again.",
        "The two rows above were measured at different loads and are not a ratio of the two variants.",
      );
    }
    if (one !== undefined) {
      add(`Against the ~1,900 pairs/s of the PyTorch version of this tower on the same kind of 2-core machine (a figure given to the project, not measured here), the 1-thread median is ${(one.pairsPerSecond / 1900).toFixed(2)} times as fast.`);
    }
    if (one !== undefined) add(`Featurization of all ${one.texts} Home Depot texts ran at ${one.featurizeTextsPerSecond} texts/s on one thread.`);
    add("", "```sh", "MINE_REFINE_DATA_DIR=/path/to/data node bench/run.mjs training page", "```", "");
  }

  const typescript = results["encode:typescript"];
  const onnx = results["encode:onnx"];
  if (typescript !== undefined || onnx !== undefined) {
    add("## Encoding throughput (Home Depot product titles)", "");
    add(
      "Default encoder with random weights (speed does not depend on the values), `encodeProducts` in chunks of 512,",
      "featurization included, windows of 4000 titles after 1000 warm-up titles. The ONNX model is the export of the same",
      "encoder run by `OnnxEncoder` on 2 intra-op threads. It pads each chunk to its longest bag after sorting by length.",
      "Its peak RSS includes the export itself, which copies the 256 MiB table while encoding the model.",
      "",
      "| forward | titles/s (median) | windows | load average | peak RSS | measured |",
      "|---|---|---|---|---|---|",
    );
    for (const value of [typescript, onnx]) {
      if (value === undefined) continue;
      add(`| ${value.variant === "onnx" ? "ONNX export" : "TypeScript"} | ${value.textsPerSecond} | ${value.windows.map((window) => window.textsPerSecond).join(", ")} | ${formatLoad(value.windows)} | ${value.maxRssMiB} MiB | ${value.measuredAt.slice(0, 16)} |`);
    }
    if (typescript !== undefined && onnx !== undefined) add("", `Ratio ONNX / TypeScript: ${(onnx.textsPerSecond / typescript.textsPerSecond).toFixed(2)}.`);
    add("", "```sh", "MINE_REFINE_DATA_DIR=/path/to/data node bench/run.mjs encode page", "```", "");
  }

  const scale = Object.entries(results).filter(([key]) => key.startsWith("scale:"));
  if (scale.length > 0) {
    add("## Scale run (generated catalog)", "");
    add(
      "A generated catalog (titles of 6–13 words from a 50,000-word vocabulary, one query per four products, four judged",
      "products per query), every text featurized and cached, then Stage 1-style training until the pair budget is spent.",
      "Each query has four judged products, so a step has about 256 pairs, fewer than a Home Depot step, and pairs/s is lower.",
      "`default` is the encoder above; `small` has 2^20 buckets and 64 → [128] → 64. Peak RSS is the child process's maxRSS.",
      "",
      "| model | products | pairs | steps | featurize s | train s | total s | pairs/s | peak RSS | load average (start, end) | measured |",
      "|---|---|---|---|---|---|---|---|---|---|---|",
    );
    for (const [, value] of scale) {
      add(
        `| ${value.model} | ${value.products} | ${value.pairs} | ${value.steps} | ${value.featurizeSeconds} | ${value.trainSeconds} | ${value.totalSeconds} | ${value.pairsPerSecond} | ${(value.maxRssMiB / 1024).toFixed(2)} GiB | ${value.loadAverage.join("–")} | ${value.measuredAt.slice(0, 16)} |`,
      );
    }
    add("", "```sh");
    for (const [, value] of scale) add(`node bench/run.mjs scale page --scale-products ${value.products} --scale-pairs ${value.pairs < 4_000_000 ? value.pairs - (value.pairs % 1000) : 4_000_000} --scale-model ${value.model}`);
    add("```", "");
    if (results["scale:default"] !== undefined && results["scale:default"].pairs < 4_000_000) {
      add("The default-model scale run stopped at 1M pairs: at its rate, 4M pairs would take over an hour on this shared machine.", "");
    }
  }

  add("## Other packages", "");
  add("Packages record their own measurements next to their code:", "");
  for (const name of ["core", "data", "store", "labeling", "audit", "losses", "model", "mining", "evaluation"]) {
    if (existsSync(path.join(root, "packages", name, "BENCHMARKS.md"))) add(`- [${name}](../packages/${name}/BENCHMARKS.md)`);
  }
  add("");
  writeFileSync(pageFile, lines.join("\n"));
}

async function main() {
  const argv = process.argv.slice(2);
  const { sections, options } = parseArguments(argv);
  if (options.child !== undefined) {
    const run = { training: childTraining, encode: childEncode, scale: childScale }[options.child];
    if (run === undefined) throw new Error(`unknown child section ${options.child}`);
    process.stdout.write(`${JSON.stringify(await run(options))}\n`);
    process.exit(0);
  }
  const passOn = argv.filter((argument) => !["training", "encode", "scale", "page"].includes(argument));
  for (const section of sections) {
    if (section === "training") {
      for (const threads of [1]) {
        const value = await runChild("training", threads, passOn);
        record(`training:${threads}`, value);
        process.stderr.write(`training, ${threads} embedding threads: ${value.pairsPerSecond} pairs/s\n`);
      }
    } else if (section === "encode") {
      for (const variant of ["typescript", "onnx"]) {
        const value = await runChild("encode", variant, passOn);
        record(`encode:${variant}`, value);
        process.stderr.write(`encode, ${variant}: ${value.textsPerSecond} titles/s\n`);
      }
    } else if (section === "scale") {
      const value = await runChild("scale", 1, passOn);
      record(`scale:${options.scaleModel}`, value);
      process.stderr.write(`scale: ${value.pairsPerSecond} pairs/s, ${value.totalSeconds} s, peak RSS ${value.maxRssMiB} MiB\n`);
    } else if (section === "page") {
      renderPage(readResults());
      process.stderr.write(`wrote ${path.relative(root, pageFile)}\n`);
    } else {
      throw new Error(`Unknown section ${section}. Use training, encode, scale or page.`);
    }
  }
}

await main();
