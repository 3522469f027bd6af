import type { RunView } from "@orchestrator-workers/core";

export { parseSse, type SseMessage } from "../../../test-support/http/parse-sse.js";

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
