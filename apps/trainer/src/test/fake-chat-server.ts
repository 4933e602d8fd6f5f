import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";

/** A chat-completions server on 127.0.0.1 that grades every pair with one fixed grade. */
export interface FakeChatServer {
  /** API root to configure as `baseUrl`. */
  baseUrl: string;
  /** Requests received so far. */
  requests(): number;
  close(): Promise<void>;
}

/** Starts the server on a free port of 127.0.0.1; each response reports 100 prompt and 5 completion tokens. */
export async function startFakeChatServer(grade: number): Promise<FakeChatServer> {
  let count = 0;
  const server: Server = createServer((request, response) => {
    let body = "";
    request.on("data", (chunk: Buffer) => {
      body += chunk.toString("utf8");
    });
    request.on("end", () => {
      count++;
      const requested = JSON.parse(body) as { model: string };
      response.writeHead(200, { "content-type": "application/json" });
      response.end(
        JSON.stringify({
          id: `chatcmpl-${count}`,
          object: "chat.completion",
          model: requested.model,
          choices: [{ index: 0, message: { role: "assistant", content: JSON.stringify({ grade }) }, finish_reason: "stop" }],
          usage: { prompt_tokens: 100, completion_tokens: 5, total_tokens: 105 },
        }),
      );
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    baseUrl: `http://127.0.0.1:${port}/v1`,
    requests: () => count,
    close: () => new Promise<void>((resolve, reject) => server.close((error) => (error === undefined ? resolve() : reject(error)))),
  };
}
