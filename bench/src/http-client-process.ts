// The client side of the HTTP benchmark, in its own process (forked by http-client.ts) so that the server's
// CPU time and memory are measured without the client's. Every loop is bounded by a deadline or a count.
import http from "node:http";
import type { ClientCommand, ClientReply, SubscriberRecord } from "./http-client.js";

const requestBody = JSON.stringify({ prompt: "Write a short report on the subject, one part per subtask." });

function send(reply: ClientReply): void {
  process.send!(reply);
}

function request(
  agent: http.Agent,
  url: string,
  method: string,
  body?: string,
): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const outgoing = http.request(
      url,
      { method, agent, headers: body === undefined ? {} : { "content-type": "application/json" } },
      (response) => {
        let text = "";
        response.setEncoding("utf8");
        response.on("data", (chunk: string) => {
          text += chunk;
        });
        response.on("end", () => resolve({ status: response.statusCode ?? 0, text }));
        response.on("error", reject);
      },
    );
    outgoing.on("error", reject);
    outgoing.end(body);
  });
}

/** POST + GET pairs on `lanes` keep-alive connections until `durationMs` has passed. */
async function load(url: string, durationMs: number, lanes: number): Promise<ClientReply> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: lanes });
  let pairs = 0;
  let failures = 0;
  const start = performance.now();
  const lane = async () => {
    while (performance.now() - start < durationMs) {
      try {
        const created = await request(agent, `${url}/`, "POST", requestBody);
        const { id } = JSON.parse(created.text) as { id: string };
        const read = await request(agent, `${url}/${id}`, "GET");
        if (created.status === 202 && read.status === 200) pairs++;
        else failures++;
      } catch {
        failures++;
      }
    }
  };
  await Promise.all(Array.from({ length: lanes }, lane));
  const elapsedMs = performance.now() - start;
  agent.destroy();
  return { type: "load-result", pairs, failures, elapsedMs };
}

/**
 * Opens `count` event streams of one run; replies `subscribed` once each has received its first event, then
 * `stream-result` once every stream ended, with `[seq, at, receivedAt]` for every event each stream received.
 */
function subscribe(url: string, runId: string, count: number): void {
  const agent = new http.Agent({ keepAlive: false, maxSockets: Number.POSITIVE_INFINITY });
  const records: SubscriberRecord[] = [];
  let ready = 0;
  let ended = 0;
  const finish = () => {
    ended++;
    if (ended === count) send({ type: "stream-result", subscribers: records });
  };
  for (let index = 0; index < count; index++) {
    const record: SubscriberRecord = { events: [], ended: false, status: 0 };
    records.push(record);
    http
      .get(`${url}/${runId}/events`, { agent, headers: { accept: "text/event-stream" } }, (response) => {
        record.status = response.statusCode ?? 0;
        response.setEncoding("utf8");
        let buffer = "";
        response.on("data", (chunk: string) => {
          const receivedAt = Date.now();
          buffer += chunk;
          let boundary = buffer.indexOf("\n\n");
          while (boundary !== -1) {
            const block = buffer.slice(0, boundary);
            buffer = buffer.slice(boundary + 2);
            boundary = buffer.indexOf("\n\n");
            const data = block.split("\n").find((line) => line.startsWith("data: "));
            if (data === undefined) continue;
            const event = JSON.parse(data.slice(6)) as { seq?: number; at: number };
            record.events.push([event.seq ?? 0, event.at, receivedAt]);
            if (record.events.length === 1 && ++ready === count) send({ type: "subscribed" });
          }
        });
        response.on("end", () => {
          record.ended = true;
          finish();
        });
        response.on("error", finish);
      })
      .on("error", finish);
  }
}

process.on("message", (command: ClientCommand) => {
  if (command.type === "load") {
    void load(command.url, command.durationMs, command.lanes).then(send);
  } else if (command.type === "subscribe") {
    subscribe(command.url, command.runId, command.count);
  } else {
    process.disconnect();
  }
});
send({ type: "ready" });
