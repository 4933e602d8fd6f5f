import { readFile } from "node:fs/promises";
import { ConfigError, GRADES, type Grade, InputError, normalizeText } from "@mine-refine/core";
import { productBrand } from "./attributes.js";
import { writeFileAtomic } from "./atomic-write.js";
import { GUIDELINE_VERSION } from "./guideline.js";
import type { GradedPair, GradeOptions, Judge, JudgePair, JudgeResult } from "./judge.js";
import { predictSoftmax, type SoftmaxModel, type SoftmaxTrainingOptions, trainSoftmax } from "./logistic-regression.js";
import { type CosineScorer, computeFeatures, featureNames } from "./pair-features.js";

const FILE_FORMAT = "mine-refine/local-judge";
const FILE_FORMAT_VERSION = 1;

export interface LocalJudgeTrainingOptions extends SoftmaxTrainingOptions {
  /** Judge id recorded with every result. Default "local". */
  id?: string;
  /** Two-tower scorer; when given, its cosine becomes a feature, and `load` needs the same scorer again. */
  cosine?: CosineScorer;
  /** Brand names for the brand features, added to the brands found in the training products' fields. */
  brands?: readonly string[];
  /** Most frequent brands kept in the vocabulary. Default 10 000. */
  maxBrands?: number;
}

export interface LocalJudgeLoadOptions {
  /** Required when the saved judge was trained with a cosine feature. */
  cosine?: CosineScorer;
}

/** What a saved judge file contains. */
interface LocalJudgeFile {
  format: typeof FILE_FORMAT;
  formatVersion: number;
  id: string;
  guidelineVersion: string;
  features: string[];
  brands: string[];
  model: SoftmaxModel;
  training: { examples: number; gradeCounts: number[]; finalLoss: number };
}

/**
 * An offline judge: softmax regression over pair features (word and character 3-gram overlap, BM25,
 * quantity, brand and colour agreement, and optionally a two-tower cosine), trained on human grades.
 * The confidence of a result is the predicted probability of the chosen grade.
 */
export class LocalJudge implements Judge {
  readonly id: string;
  readonly guidelineVersion: string;
  private readonly file: LocalJudgeFile;
  private readonly cosine: CosineScorer | undefined;

  private constructor(file: LocalJudgeFile, cosine: CosineScorer | undefined) {
    this.file = file;
    this.id = file.id;
    this.guidelineVersion = file.guidelineVersion;
    this.cosine = cosine;
  }

  /** Trains a judge on graded pairs. Training is deterministic for a given `seed`. */
  static train(pairs: readonly GradedPair[], options: LocalJudgeTrainingOptions = {}): LocalJudge {
    if (pairs.length === 0) {
      throw new ConfigError("LocalJudge.train", [{ path: "pairs", message: "expected at least one graded pair, received none" }]);
    }
    const brands = brandVocabulary(pairs, options.brands ?? [], options.maxBrands ?? 10_000);
    const { names, values } = computeFeatures(pairs, { brands, cosine: options.cosine });
    const labels = pairs.map((pair) => pair.grade);
    const { model, finalLoss } = trainSoftmax(values, labels, names.length, GRADES.length, options);
    const gradeCounts = GRADES.map((grade) => labels.filter((label) => label === grade).length);
    const file: LocalJudgeFile = {
      format: FILE_FORMAT,
      formatVersion: FILE_FORMAT_VERSION,
      id: options.id ?? "local",
      guidelineVersion: GUIDELINE_VERSION,
      features: names,
      brands,
      model,
      training: { examples: pairs.length, gradeCounts, finalLoss },
    };
    return new LocalJudge(file, options.cosine);
  }

  /** Reads a judge written by `save`, checking that its feature list matches this version of the code. */
  static async load(path: string, options: LocalJudgeLoadOptions = {}): Promise<LocalJudge> {
    let parsed: unknown;
    try {
      parsed = JSON.parse(await readFile(path, "utf8"));
    } catch (error) {
      throw new InputError("invalid_local_judge", { file: path }, `cannot read the local judge file (${(error as Error).message})`, "Pass a file written by LocalJudge.save.", { cause: error });
    }
    const file = validateFile(parsed, path);
    const usesCosine = file.features.length === featureNames(true).length;
    if (usesCosine && options.cosine === undefined) {
      throw new ConfigError("LocalJudge.load options", [{ path: "cosine", message: `the judge in ${path} was trained with a two-tower cosine feature; pass the same scorer as options.cosine` }]);
    }
    return new LocalJudge(file, usesCosine ? options.cosine : undefined);
  }

  /** Writes the feature list, brand vocabulary and weights as JSON, atomically. */
  async save(path: string): Promise<void> {
    await writeFileAtomic(path, `${JSON.stringify(this.file)}\n`);
  }

  /** Feature names in the order of the weight columns. */
  get features(): readonly string[] {
    return this.file.features;
  }

  /** Returns grade probabilities, [pairs, grades] row-major. */
  predict(pairs: readonly JudgePair[]): Float64Array {
    const { values } = computeFeatures(pairs, { brands: this.file.brands, cosine: this.cosine });
    return predictSoftmax(this.file.model, values);
  }

  async grade(pairs: JudgePair[], options: GradeOptions = {}): Promise<JudgeResult[]> {
    options.signal?.throwIfAborted();
    const probabilities = pairs.length === 0 ? new Float64Array(0) : this.predict(pairs);
    const results = pairs.map((pair, row): JudgeResult => {
      let grade: Grade = GRADES[0] as Grade;
      let confidence = -1;
      for (const candidate of GRADES) {
        const probability = probabilities[row * GRADES.length + candidate] ?? 0;
        if (probability > confidence) {
          grade = candidate;
          confidence = probability;
        }
      }
      return { queryId: pair.queryId, productId: pair.productId, grade, confidence, judgeId: this.id, guidelineVersion: this.guidelineVersion };
    });
    options.progress?.({ task: "judge", done: pairs.length, total: pairs.length });
    return results;
  }
}

/** Collects normalised brands from the training products and `extra`, keeping the `max` most frequent. */
function brandVocabulary(pairs: readonly GradedPair[], extra: readonly string[], max: number): string[] {
  const counts = new Map<string, number>();
  const seenProducts = new Set<string>();
  for (const pair of pairs) {
    if (seenProducts.has(pair.productId)) continue;
    seenProducts.add(pair.productId);
    const brand = productBrand(pair.product);
    if (brand !== undefined) counts.set(brand, (counts.get(brand) ?? 0) + 1);
  }
  for (const brand of extra) {
    const normalized = normalizeText(brand);
    if (normalized !== "") counts.set(normalized, Math.max(counts.get(normalized) ?? 0, 1));
  }
  return [...counts.entries()]
    .sort(([a, countA], [b, countB]) => countB - countA || a.localeCompare(b))
    .slice(0, max)
    .map(([brand]) => brand)
    .sort();
}

function validateFile(value: unknown, path: string): LocalJudgeFile {
  const invalid = (problem: string): InputError =>
    new InputError("invalid_local_judge", { file: path }, problem, "Retrain the judge with LocalJudge.train and save it again.");
  if (typeof value !== "object" || value === null) throw invalid("expected a JSON object");
  const file = value as Partial<LocalJudgeFile>;
  if (file.format !== FILE_FORMAT) throw invalid(`expected "format": "${FILE_FORMAT}", received ${JSON.stringify(file.format)}`);
  if (file.formatVersion !== FILE_FORMAT_VERSION) throw invalid(`expected formatVersion ${FILE_FORMAT_VERSION}, received ${JSON.stringify(file.formatVersion)}`);
  const features = file.features;
  const known = [featureNames(false), featureNames(true)].find((names) => JSON.stringify(names) === JSON.stringify(features));
  if (known === undefined) throw invalid(`the feature list ${JSON.stringify(features)} does not match this version's features ${JSON.stringify(featureNames(true))}`);
  const model = file.model;
  const classCount = GRADES.length;
  if (
    model === undefined ||
    model.classCount !== classCount ||
    model.featureCount !== known.length ||
    !isNumberArray(model.weights, classCount * known.length) ||
    !isNumberArray(model.bias, classCount) ||
    !isNumberArray(model.mean, known.length) ||
    !isNumberArray(model.std, known.length)
  ) {
    throw invalid(`expected model weights [${classCount}, ${known.length}], bias [${classCount}], mean and std [${known.length}]`);
  }
  if (!Array.isArray(file.brands) || !file.brands.every((brand) => typeof brand === "string")) throw invalid('expected "brands" to be an array of strings');
  if (typeof file.id !== "string" || typeof file.guidelineVersion !== "string") throw invalid('expected string "id" and "guidelineVersion"');
  return file as LocalJudgeFile;
}

function isNumberArray(value: unknown, length: number): boolean {
  return Array.isArray(value) && value.length === length && value.every((item) => typeof item === "number" && Number.isFinite(item));
}
