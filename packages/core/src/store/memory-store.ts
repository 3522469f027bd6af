import { OrchestrateError } from "../errors/orchestrate-error.js";
import type { PersistedRunEvent } from "../types/run-event.js";
import { isFinalRunStatus } from "../types/status.js";
import { checkAppendInput } from "./check-append-input.js";
import { decodeCursor, encodeCursor, type ListCursor } from "./cursor.js";
import { newRunRecord } from "./new-run-record.js";
import type {
  AppendInput,
  CreateRunInput,
  CreateRunResult,
  ListRunsOptions,
  RunPage,
  RunRecord,
  RunStore,
  StoreListener,
} from "./run-store.js";

interface MemoryRun {
  record: RunRecord;
  events: PersistedRunEvent[];
  lease: { owner: string; expiresAt: number } | undefined;
  listeners: Set<{ after: number; listener: StoreListener }>;
}

/** Options for {@link memoryStore}. */
export interface MemoryStoreOptions {
  /** Clock, for tests. @default Date.now */
  now?: () => number;
}

/**
 * A {@link RunStore} in process memory: the default. Fast and complete (it supports `subscribe`), but runs
 * are lost when the process exits; use the SQLite, Redis or Postgres store for durable runs.
 */
export function memoryStore(options: MemoryStoreOptions = {}): RunStore {
  const now = options.now ?? Date.now;
  const runs = new Map<string, MemoryRun>();
  const byKey = new Map<string, string>();
  // Runs sorted by (createdAt, id): listing walks it backwards, recovery forwards.
  let order: ListCursor[] = [];

  const keyOf = (tenant: string | undefined, key: string) => `${tenant ?? ""}\u0000${key}`;

  return {
    inMemory: true,
    async createRun(input: CreateRunInput): Promise<CreateRunResult> {
      const existingId =
        input.idempotencyKey === undefined
          ? input.id
          : (byKey.get(keyOf(input.tenant, input.idempotencyKey)) ?? input.id);
      const existing = runs.get(existingId);
      if (existing) return { run: { ...existing.record }, created: false };
      const record = newRunRecord(input);
      const run: MemoryRun = {
        record,
        events: [],
        lease: input.lease ? { owner: input.lease.owner, expiresAt: now() + input.lease.ttlMs } : undefined,
        listeners: new Set(),
      };
      runs.set(input.id, run);
      order.splice(positionOf(order, record), 0, { createdAt: record.createdAt, id: record.id });
      if (input.idempotencyKey !== undefined) byKey.set(keyOf(input.tenant, input.idempotencyKey), input.id);
      return { run: { ...record }, created: true };
    },

    async append(input: AppendInput): Promise<void> {
      checkAppendInput(input);
      const run = runs.get(input.runId);
      if (!run) throw notFound(input.runId);
      if (run.record.lastSeq !== input.expectedSeq) {
        throw new OrchestrateError({
          code: "STORE_CONFLICT",
          runId: input.runId,
          message: `Append to run ${input.runId} expected last seq ${input.expectedSeq}, but the store is at ${run.record.lastSeq}.`,
        });
      }
      for (const event of input.events) run.events.push(event);
      const last = input.events[input.events.length - 1];
      if (last) {
        run.record.lastSeq = last.seq;
        run.record.updatedAt = last.at;
      }
      run.record.status = input.status;
      for (const subscription of run.listeners) {
        const fresh = input.events.filter((event) => event.seq > subscription.after);
        if (fresh.length > 0) {
          subscription.after = fresh[fresh.length - 1]!.seq;
          deliver(subscription.listener, fresh);
        }
      }
    },

    async getRun(runId) {
      const run = runs.get(runId);
      return run ? { ...run.record } : undefined;
    },

    async readEvents(runId, readOptions = {}) {
      const run = runs.get(runId);
      if (!run) return [];
      const after = readOptions.after ?? 0;
      // seq n lives at index n - 1: slicing is O(result), not O(log).
      const start = Math.max(0, Math.min(after, run.events.length));
      const end = readOptions.limit === undefined ? run.events.length : start + readOptions.limit;
      return run.events.slice(start, end);
    },

    async listRuns(listOptions: ListRunsOptions): Promise<RunPage> {
      const cursor = listOptions.cursor === undefined ? undefined : decodeCursor(listOptions.cursor);
      const page: RunRecord[] = [];
      // Keyset paging: start below the cursor's position, which stays valid when its run was deleted.
      let index = (cursor === undefined ? order.length : positionOf(order, cursor)) - 1;
      for (; index >= 0 && page.length < listOptions.limit; index--) {
        const run = runs.get(order[index]!.id);
        if (!run) continue;
        if (run.record.tenant !== listOptions.tenant) continue;
        if (listOptions.status && !listOptions.status.includes(run.record.status)) continue;
        page.push({ ...run.record });
      }
      const last = page[page.length - 1];
      return page.length === listOptions.limit && last && index >= 0
        ? { runs: page, nextCursor: encodeCursor({ createdAt: last.createdAt, id: last.id }) }
        : { runs: page };
    },

    async acquireLease(runId, owner, ttlMs) {
      const run = runs.get(runId);
      if (!run) throw notFound(runId);
      const current = run.lease;
      if (current && current.owner !== owner && current.expiresAt > now()) return false;
      run.lease = { owner, expiresAt: now() + ttlMs };
      return true;
    },

    async renewLease(runId, owner, ttlMs) {
      const run = runs.get(runId);
      // An expired lease is no longer held, even when nobody took it over yet.
      if (!run?.lease || run.lease.owner !== owner || run.lease.expiresAt <= now()) return false;
      run.lease.expiresAt = now() + ttlMs;
      return true;
    },

    async releaseLease(runId, owner) {
      const run = runs.get(runId);
      // Cleared, not deleted: every run record keeps one object shape (`delete` can send V8 to a slow dictionary).
      if (run?.lease?.owner === owner) run.lease = undefined;
    },

    async findExpiredLeases({ now: at, limit }) {
      const ids: string[] = [];
      for (const { id } of order) {
        if (ids.length >= limit) break;
        const run = runs.get(id);
        if (!run || isFinalRunStatus(run.record.status)) continue;
        if (!run.lease || run.lease.expiresAt <= at) ids.push(id);
      }
      return ids;
    },

    async deleteRuns({ before }) {
      let deleted = 0;
      for (const [id, run] of runs) {
        if (!isFinalRunStatus(run.record.status) || run.record.updatedAt >= before) continue;
        runs.delete(id);
        if (run.record.idempotencyKey !== undefined)
          byKey.delete(keyOf(run.record.tenant, run.record.idempotencyKey));
        deleted++;
      }
      if (deleted > 0) order = order.filter((entry) => runs.has(entry.id));
      return deleted;
    },

    subscribe(runId, after, listener) {
      const run = runs.get(runId);
      if (!run) return () => {};
      const subscription = { after, listener };
      run.listeners.add(subscription);
      const missed = run.events.slice(Math.max(0, after));
      if (missed.length > 0) {
        subscription.after = missed[missed.length - 1]!.seq;
        deliver(listener, missed);
      }
      return () => run.listeners.delete(subscription);
    },
  };
}

/** Where `key` goes in `order` (sorted by createdAt, then id): the index of the first entry not below it. */
function positionOf(order: ListCursor[], key: ListCursor): number {
  let low = 0;
  let high = order.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    const entry = order[middle]!;
    const below = entry.createdAt < key.createdAt || (entry.createdAt === key.createdAt && entry.id < key.id);
    if (below) low = middle + 1;
    else high = middle;
  }
  return low;
}

/** Calls a listener; its errors are its own and must not fail the append that already stored the events. */
function deliver(listener: StoreListener, events: PersistedRunEvent[]): void {
  try {
    listener(events);
  } catch (error) {
    queueMicrotask(() => {
      throw error;
    });
  }
}

function notFound(runId: string): OrchestrateError {
  return new OrchestrateError({
    code: "RUN_NOT_FOUND",
    runId,
    message: `Run ${runId} does not exist in this store.`,
  });
}
