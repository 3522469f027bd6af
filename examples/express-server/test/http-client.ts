import type { RunView } from "@orchestrator-workers/core";

/** One message of a `text/event-stream` body. */
export interface SseMessage {
  id?: string;
  event?: string;
  data?: string;
}

/** Splits an SSE body into messages, skipping comments (heartbeats). */
export function parseSse(text: string): SseMessage[] {
  return text
    .split("\n\n")
    .filter((block) => block.trim() !== "" && !block.startsWith(":"))
    .map((block) => {
      const message: SseMessage = {};
      for (const line of block.split("\n")) {
        const separator = line.indexOf(": ");
        const field = line.slice(0, separator);
        if (field === "id" || field === "event" || field === "data")
          message[field] = line.slice(separator + 2);
      }
      return message;
    });
}

/** `POST /` with `{"prompt"}`, as the original curl flow does. */
export function postPrompt(url: string, prompt: string): Promise<Response> {
  return fetch(`${url}/`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ prompt }),
  });
}

/** `GET /:id` until `until(view)` holds; throws after `timeoutMs`. */
export async function pollRun(
  url: string,
  id: string,
  until: (view: RunView) => boolean,
  timeoutMs = 15_000,
): Promise<RunView> {
  const deadline = Date.now() + timeoutMs;
  let view: RunView | undefined;
  while (Date.now() < deadline) {
    const response = await fetch(`${url}/${id}`);
    if (response.status === 200) {
      view = (await response.json()) as RunView;
      if (until(view)) return view;
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`Run ${id} did not get there in ${timeoutMs} ms; last view: ${JSON.stringify(view)}`);
}
