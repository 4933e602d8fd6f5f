import { createServer, type IncomingHttpHeaders, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

/** One request the fake server received. */
export interface RecordedRequest {
  headers: IncomingHttpHeaders;
  body: Record<string, unknown>;
  /** Text of the user message, from which handlers pick the scripted behaviour. */
  userMessage: string;
}

/** What the fake server sends back; `hang` keeps the connection open without a response. */
export type ScriptedReply = { status: number; headers?: Record<string, string>; body: unknown } | "hang";

export type ReplyHandler = (request: RecordedRequest, attemptForMessage: number) => ScriptedReply;

export interface FakeChatServer {
  /** API root such as http://127.0.0.1:PORT/v1. */
  baseUrl: string;
  requests: RecordedRequest[];
  /** Largest number of requests that were open at one time. */
  maxInFlight(): number;
  close(): Promise<void>;
}

/**
 * Starts an HTTP server on 127.0.0.1 (port chosen by the OS) that accepts chat-completions POSTs on
 * /v1/chat/completions and replies as `handler` scripts. `attemptForMessage` counts the requests
 * seen so far with the same user message, starting at 1, so a handler can fail a pair only once.
 */
export async function startFakeChatServer(handler: ReplyHandler): Promise<FakeChatServer> {
  const requests: RecordedRequest[] = [];
  const attempts = new Map<string, number>();
  let inFlight = 0;
  let maxInFlight = 0;
  const hung: ServerResponse[] = [];

  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on("data", (chunk: Buffer) => chunks.push(chunk));
    request.on("end", () => {
      if (request.method !== "POST" || request.url !== "/v1/chat/completions") {
        response.writeHead(404).end("not found");
        return;
      }
      const body = JSON.parse(Buffer.concat(chunks).toString("utf8")) as Record<string, unknown>;
      const messages = body.messages as { role: string; content: string }[];
      const userMessage = messages.find((message) => message.role === "user")?.content ?? "";
      const recorded: RecordedRequest = { headers: request.headers, body, userMessage };
      requests.push(recorded);
      const attempt = (attempts.get(userMessage) ?? 0) + 1;
      attempts.set(userMessage, attempt);

      const reply = handler(recorded, attempt);
      if (reply === "hang") {
        hung.push(response);
        return;
      }
      inFlight++;
      maxInFlight = Math.max(maxInFlight, inFlight);
      // A short delay keeps requests open long enough for the concurrency limit to matter.
      setTimeout(() => {
        inFlight--;
        const text = typeof reply.body === "string" ? reply.body : JSON.stringify(reply.body);
        response.writeHead(reply.status, { "content-type": "application/json", ...reply.headers }).end(text);
      }, 5);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;

  return {
    baseUrl: `http://127.0.0.1:${port}/v1`,
    requests,
    maxInFlight: () => maxInFlight,
    close: () =>
      new Promise<void>((resolve) => {
        for (const response of hung) response.destroy();
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

export interface CompletionOptions {
  /** Probability of the grade digit token; logprobs are left out when undefined. */
  gradeProbability?: number;
  promptTokens?: number;
  completionTokens?: number;
}

/**
 * Builds a chat-completions response body whose message content is `content`. With
 * `gradeProbability`, it adds logprobs that split the content into tokens with every digit on its
 * own, digits at the given probability and other tokens at probability 1.
 */
export function completion(content: string, options: CompletionOptions = {}): Record<string, unknown> {
  const choice: Record<string, unknown> = { index: 0, message: { role: "assistant", content }, finish_reason: "stop" };
  if (options.gradeProbability !== undefined) {
    const tokens = content.split(/(\d)/u).filter((token) => token !== "");
    const probability = options.gradeProbability;
    choice.logprobs = {
      content: tokens.map((token) => ({ token, logprob: /^\d$/u.test(token) ? Math.log(probability) : 0, top_logprobs: [] })),
    };
  }
  return {
    id: "chatcmpl-test",
    object: "chat.completion",
    model: "fake-judge",
    choices: [choice],
    usage: { prompt_tokens: options.promptTokens ?? 100, completion_tokens: options.completionTokens ?? 5, total_tokens: (options.promptTokens ?? 100) + (options.completionTokens ?? 5) },
  };
}
