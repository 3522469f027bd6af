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
