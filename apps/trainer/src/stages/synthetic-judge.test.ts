import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { GRADE_MODERATE, silentLogger } from "@mine-refine/core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadTrainConfig } from "../config/load.js";
import type { CliLogger } from "../log.js";
import { runPipeline } from "../pipeline.js";
import { readAugmentationRecord } from "./augment-record.js";

const quietLogger: CliLogger = { ...silentLogger, attachFile() {}, async flush() {} };

/** A chat-completions server on 127.0.0.1 that grades every pair 1 (moderately relevant), without logprobs. */
let server: Server;
let baseUrl: string;
let requests = 0;
let dir: string;

beforeAll(async () => {
  server = createServer((request, response) => {
    request.resume();
    request.on("end", () => {
      if (request.method !== "POST" || request.url !== "/v1/chat/completions") {
        response.writeHead(404).end("not found");
        return;
      }
      requests++;
      const body = {
        id: `chat-${requests}`,
        object: "chat.completion",
        choices: [{ index: 0, message: { role: "assistant", content: '{"grade": 1, "reason": "a substitute"}' }, finish_reason: "stop" }],
        usage: { prompt_tokens: 100, completion_tokens: 10, total_tokens: 110 },
      };
      response.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify(body));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`;
  dir = await mkdtemp(path.join(tmpdir(), "mr-augment-llm-"));
});

afterAll(async () => {
  await new Promise<void>((resolve) => server.close(() => resolve()));
  await rm(dir, { recursive: true, force: true });
});

describe("llm synthetic judge", () => {
  it("grades synthetic queries over HTTP", async () => {
    const file = path.join(dir, "run.yaml");
    await writeFile(
      file,
      `name: augment-llm
runDir: run
data:
  source: { kind: demo, seed: 7, products: 300, queriesPerLocale: 60 }
store: { enabled: false }
augmentation:
  synthetic:
    enabled: true
    judge: llm
    maxPerProduct: 1
    minConfidence: 0.5
    llm: { baseUrl: "${baseUrl}", model: test-model, concurrency: 2, timeoutMs: 10000 }
`,
    );
    const config = await loadTrainConfig(file);
    await runPipeline(config, { logger: quietLogger, until: "augment" });

    const record = await readAugmentationRecord(path.join(config.runDir, "stages", "augment"));
    expect(record.judgments.length).toBeGreaterThan(0);
    expect(requests).toBe(record.judgments.length);
    for (const judgment of record.judgments) {
      expect(judgment.grade).toBe(GRADE_MODERATE);
      expect(judgment.judgeId).toBe("openai-compatible:test-model");
    }
  }, 60_000);
});
