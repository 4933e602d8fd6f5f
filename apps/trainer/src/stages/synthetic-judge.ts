import path from "node:path";
import { GRADE_RELEVANT, InternalError, type Logger } from "@mine-refine/core";
import type { JudgePair, JudgeResult, PairJudge } from "@mine-refine/data";
import { type GradedPair, LocalJudge, OpenAiCompatibleJudge } from "@mine-refine/labeling";
import type { TrainConfig } from "../config/schema.js";
import type { PreparedData } from "./data.js";
import { trainJudgments } from "./stage1.js";

/**
 * A stand-in judge for pipeline tests: it grades every synthetic query relevant to its source
 * product with confidence 1, as if a rater had confirmed each template. Because it never rejects a
 * query, a run that uses it cannot measure the value of synthetic queries.
 */
export class TemplateOracleJudge implements PairJudge {
  readonly id = "human-oracle-for-tests";
  readonly guidelineVersion = "template-oracle";

  async grade(pairs: JudgePair[]): Promise<JudgeResult[]> {
    return pairs.map((pair) => ({
      queryId: pair.queryId,
      productId: pair.productId,
      grade: GRADE_RELEVANT,
      confidence: 1,
      judgeId: this.id,
      guidelineVersion: this.guidelineVersion,
    }));
  }
}

/**
 * Creates the judge that grades synthetic queries. The local judge trains on the human labels of the
 * training split only, so dev and test labels never reach it, and it is saved as `local-judge.json`
 * in the stage folder.
 */
export async function createSyntheticJudge(config: TrainConfig, prepared: PreparedData, dir: string, logger: Logger): Promise<PairJudge> {
  const settings = config.augmentation.synthetic;
  switch (settings.judge) {
    case "human-oracle-for-tests":
      return new TemplateOracleJudge();

    case "local": {
      const pairs: GradedPair[] = trainJudgments(prepared.dataset.judgments, prepared.split.train).map((judgment) => ({
        queryId: judgment.queryId,
        query: prepared.query(judgment.queryId).text,
        productId: judgment.productId,
        product: prepared.product(judgment.productId),
        grade: judgment.grade,
      }));
      logger.log("info", "augment: training the local judge on the training split", { pairs: pairs.length });
      const judge = LocalJudge.train(pairs, { seed: settings.seed ?? config.seed });
      await judge.save(path.join(dir, "local-judge.json"));
      return judge;
    }

    case "llm": {
      const llm = settings.llm;
      if (llm === undefined) throw new InternalError("augmentation.synthetic.llm is missing, but the config schema requires it for the llm judge");
      // NOTE: no response cache yet, so a rerun of a failed augment stage sends every request again.
      return new OpenAiCompatibleJudge({
        baseUrl: llm.baseUrl,
        model: llm.model,
        apiKeyEnv: llm.apiKeyEnv,
        concurrency: llm.concurrency,
        timeoutMs: llm.timeoutMs,
        logger,
      });
    }
  }
}
