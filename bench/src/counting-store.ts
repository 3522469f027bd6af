import type { AppendInput, CreateRunInput, RunStore } from "@orchestrator-workers/core";

/** What a {@link countingStore} has seen since its last reset. */
export interface StoreCounts {
  /** Calls that write: `createRun`, `append`, `acquireLease`, `renewLease`, `releaseLease`, `deleteRuns`. */
  writes: number;
  /** `append` calls (each one batch of events, one round trip). */
  appends: number;
  /** Events appended. */
  events: number;
  /** UTF-8 bytes of the JSON of every event appended and every run created: what the store has to keep. */
  bytes: number;
  /** Calls that only read. */
  reads: number;
}

/** A store that counts the calls made to it and the bytes written through it. */
export interface CountingStore {
  store: RunStore;
  counts: StoreCounts;
  /** Zeroes the counts. */
  reset(): void;
}

const writeMethods = new Set([
  "createRun",
  "append",
  "acquireLease",
  "renewLease",
  "releaseLease",
  "deleteRuns",
]);
const readMethods = new Set(["getRun", "readEvents", "listRuns", "findExpiredLeases"]);

/**
 * Wraps every method of `store` to count calls and, unless `measureBytes` is false, measures the serialized
 * size of what `createRun` and `append` write (the JSON of the input, as a store that serializes events would).
 * Serializing costs time: time runs only with `measureBytes: false` (then the wrapper costs one call).
 */
export function countingStore(store: RunStore, options: { measureBytes?: boolean } = {}): CountingStore {
  const measureBytes = options.measureBytes ?? true;
  const counts: StoreCounts = { writes: 0, appends: 0, events: 0, bytes: 0, reads: 0 };
  const wrapped: Record<string, unknown> = {};
  for (const key of methodNames(store)) {
    const method = (store as unknown as Record<string, (...args: unknown[]) => unknown>)[key]!;
    wrapped[key] = (...args: unknown[]) => {
      if (writeMethods.has(key)) counts.writes++;
      if (readMethods.has(key)) counts.reads++;
      if (key === "append") {
        const input = args[0] as AppendInput;
        counts.appends++;
        counts.events += input.events.length;
        if (measureBytes)
          for (const event of input.events) counts.bytes += Buffer.byteLength(JSON.stringify(event));
      } else if (key === "createRun" && measureBytes) {
        counts.bytes += Buffer.byteLength(JSON.stringify(args[0] as CreateRunInput));
      }
      return method.apply(store, args);
    };
  }
  return {
    store: wrapped as unknown as RunStore,
    counts,
    reset: () => Object.assign(counts, { writes: 0, appends: 0, events: 0, bytes: 0, reads: 0 }),
  };
}

/** The function-valued properties of an object (own and inherited, for class-based stores). */
function methodNames(value: object): string[] {
  const names = new Set<string>();
  for (let current: object | null = value; current && current !== Object.prototype; ) {
    for (const name of Object.getOwnPropertyNames(current)) {
      if (name !== "constructor" && typeof (value as Record<string, unknown>)[name] === "function")
        names.add(name);
    }
    current = Object.getPrototypeOf(current);
  }
  return [...names];
}
