import type { PersistedRunEvent, StoreListener } from "@orchestrator-workers/core";
import type { Redis } from "ioredis";

/** What {@link subscribeToStream} needs. */
export interface StreamSubscriptionOptions {
  /** The store's client; the subscription blocks on a duplicate of it, never on it. */
  client: Redis;
  /** The run's stream. */
  key: string;
  /** Push entries with a seq above this one. */
  after: number;
  listener: StoreListener;
  /** How long one `XREAD BLOCK` waits before it is issued again, in milliseconds. */
  blockMs: number;
  /** Delay before reading again after an error (Redis down), in milliseconds. */
  retryMs: number;
}

/** The events of `XRANGE`/`XREAD` entries (`[id, ["e", json]]`). */
export function eventsOfEntries(entries: Array<[string, string[]]>): PersistedRunEvent[] {
  return entries.map(([, fields]) => JSON.parse(fields[1] ?? "null") as PersistedRunEvent);
}

/**
 * Tails a run's stream with `XREAD BLOCK` from `<after>-0` on a dedicated connection, so that it replays what
 * is stored, then receives appends from every process as they happen. Answers the function that stops it and
 * closes the connection.
 */
export function subscribeToStream(options: StreamSubscriptionOptions): () => void {
  let active = true;
  let lastId = `${options.after}-0`;
  // Offline queue on, so the first XREAD waits for the new connection; a command timeout above the block
  // time, so a hung server cannot hold the loop forever.
  const connection = options.client.duplicate({
    enableOfflineQueue: true,
    commandTimeout: options.blockMs + 5_000,
    maxRetriesPerRequest: 1,
  });
  connection.on("error", () => undefined);

  const loop = async () => {
    while (active) {
      try {
        const reply: unknown = await connection.xread(
          "COUNT",
          1_000,
          "BLOCK",
          options.blockMs,
          "STREAMS",
          options.key,
          lastId,
        );
        if (!active) return;
        const entries = entriesOf(reply);
        const last = entries[entries.length - 1];
        if (!last) continue;
        lastId = last[0];
        deliver(options.listener, eventsOfEntries(entries));
      } catch {
        if (!active) return;
        await new Promise((resolve) => setTimeout(resolve, options.retryMs).unref());
      }
    }
  };
  void loop();

  return () => {
    active = false;
    connection.disconnect();
  };
}

/** The entries of an `XREAD` reply for one stream, in either reply shape (RESP2 array or RESP3 map). */
function entriesOf(reply: unknown): Array<[string, string[]]> {
  if (!reply) return [];
  if (Array.isArray(reply)) return (reply[0]?.[1] as Array<[string, string[]]> | undefined) ?? [];
  return (Object.values(reply as Record<string, Array<[string, string[]]>>)[0] ?? []) as Array<
    [string, string[]]
  >;
}

/** Calls a listener; its errors are its own and must not stop the subscription. */
function deliver(listener: StoreListener, events: PersistedRunEvent[]): void {
  try {
    listener(events);
  } catch (error) {
    queueMicrotask(() => {
      throw error;
    });
  }
}
