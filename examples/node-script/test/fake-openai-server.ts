import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";

/** What the fake server saw. */
export interface FakeOpenAIRequests {
  paths: string[];
  bodies: Array<Record<string, unknown>>;
}

/**
 * A minimal OpenAI-compatible chat-completions server on 127.0.0.1 for tests: `GET /v1/models` and
 * `POST /v1/chat/completions` (streaming and not). Requests asking for a JSON response get a two-task plan;
 * requests mentioning subtask results get an aggregate; anything else a worker answer.
 */
export async function startFakeOpenAI(): Promise<{
  url: string;
  requests: FakeOpenAIRequests;
  close: () => Promise<void>;
}> {
  const requests: FakeOpenAIRequests = { paths: [], bodies: [] };
  const server: Server = createServer(async (request, response) => {
    requests.paths.push(`${request.method} ${request.url}`);
    if (request.method === "GET" && request.url === "/v1/models") {
      response.writeHead(200, { "content-type": "application/json" });
      response.end(JSON.stringify({ object: "list", data: [{ id: "fake-llama", object: "model" }] }));
      return;
    }
    let raw = "";
    for await (const chunk of request) raw += chunk;
    const body = JSON.parse(raw) as Record<string, unknown>;
    requests.bodies.push(body);
    const text = JSON.stringify(body.messages);
    const content = body.response_format
      ? JSON.stringify({
          analysis: "Two independent parts.",
          tasks: [
            { id: "t1", type: "default", title: "Part one", details: "Do part one.", dependsOn: [] },
            { id: "t2", type: "default", title: "Part two", details: "Do part two.", dependsOn: ["t1"] },
          ],
        })
      : text.includes("subtask-results")
        ? "FAKE FINAL ANSWER combining both parts."
        : "fake worker result";
    const usage = { prompt_tokens: 11, completion_tokens: 7, total_tokens: 18 };
    if (!body.stream) {
      response.writeHead(200, { "content-type": "application/json" });
      response.end(
        JSON.stringify({
          id: "cmpl-1",
          object: "chat.completion",
          created: 0,
          model: body.model,
          choices: [{ index: 0, message: { role: "assistant", content }, finish_reason: "stop" }],
          usage,
        }),
      );
      return;
    }
    response.writeHead(200, { "content-type": "text/event-stream" });
    const chunk = (delta: Record<string, unknown>, extra: Record<string, unknown> = {}) =>
      `data: ${JSON.stringify({ id: "cmpl-1", object: "chat.completion.chunk", created: 0, model: body.model, choices: [{ index: 0, delta, finish_reason: null }], ...extra })}\n\n`;
    response.write(chunk({ role: "assistant", content: "" }));
    for (let index = 0; index < content.length; index += 20)
      response.write(chunk({ content: content.slice(index, index + 20) }));
    response.write(
      `data: ${JSON.stringify({ id: "cmpl-1", object: "chat.completion.chunk", created: 0, model: body.model, choices: [{ index: 0, delta: {}, finish_reason: "stop" }], usage })}\n\n`,
    );
    response.end("data: [DONE]\n\n");
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/v1`,
    requests,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
