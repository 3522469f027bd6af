import {
  type AppendInput,
  type CreateRunInput,
  type CreateRunResult,
  checkAppendInput,
  invalidArgument,
  isFinalRunStatus,
  newRunRecord,
  OrchestrateError,
  type RunStore,
  runNotFound,
} from "@orchestrator-workers/core";
import { Redis } from "ioredis";
import { deleteRuns } from "./delete-runs.js";
import { listRuns } from "./list-runs.js";
import {
  acquireLeaseScript,
  appendScript,
  createRunScript,
  findExpiredLeasesScript,
  releaseLeaseScript,
  renewLeaseScript,
} from "./lua-scripts.js";
import { redisKeys } from "./redis-keys.js";
import { runHashFields, toRunRecord } from "./run-hash.js";
import { eventsOfEntries, subscribeToStream } from "./stream-subscription.js";
import { toStoreError } from "./to-store-error.js";

/** Options for {@link redisStore}: which Redis, and the key prefix the store owns there. */
export type RedisStoreOptions = (
  | {
      /**
       * A `redis://` (or `rediss://`) URL. The store creates a client that fails fast when Redis is down (one
       * retry per command, then `STORE_UNAVAILABLE`), and quits it in `close()`.
       */
      url: string;
      client?: never;
    }
  | {
      /**
       * An ioredis client to use instead. The store never closes it and adds nothing to it. Give it a small
       * `maxRetriesPerRequest` (and a `commandTimeout`) so that commands fail with `STORE_UNAVAILABLE` instead of
       * queueing while Redis is down.
       */
      client: Redis;
      url?: never;
    }
) & {
  /** Prefix of every key the store writes. Give each application (or test) its own. @default "orchestrator-workers:" */
  keyPrefix?: string;
  /** Clock for lease expiry scores, epoch milliseconds. @default Date.now */
  now?: () => number;
  /** How long a command may take before it fails with `STORE_UNAVAILABLE`, in ms. Only for a client the store creates. @default 5000 */
  commandTimeoutMs?: number;
  /** How long connecting may take, in ms. Only for a client the store creates. @default 5000 */
  connectTimeoutMs?: number;
};

/** A {@link RunStore} on Redis, with the methods every Redis store has. */
export interface RedisStore extends RunStore {
  /** Checks the server (Redis ≥ 6.2) and loads the scripts. Optional: the store works without it. */
  setup(): Promise<void>;
  /** Stops subscriptions and quits the client if the store created it; leaves a passed `client` open. */
  close(): Promise<void>;
  subscribe: NonNullable<RunStore["subscribe"]>;
}

const allScripts = [
  createRunScript,
  appendScript,
  acquireLeaseScript,
  renewLeaseScript,
  releaseLeaseScript,
  findExpiredLeasesScript,
];

/**
 * A durable {@link RunStore} on Redis, shared by any number of processes: a stream per run (entry ids are the
 * seqs), the expected-seq check and the writes of an append in one Lua script, run records in hashes, sorted
 * sets for listing, recovery and retention, leases with `SET NX PX`, and push tailing with `XREAD BLOCK` on a
 * dedicated connection (the `subscribe` capability). Needs Redis ≥ 6.2; not for Redis Cluster.
 *
 * @example
 * const store = redisStore({ url: "redis://127.0.0.1:6379", keyPrefix: "my-app:" });
 */
export function redisStore(options: RedisStoreOptions): RedisStore {
  const keyPrefix = options.keyPrefix ?? "orchestrator-workers:";
  if (typeof keyPrefix !== "string" || keyPrefix.length === 0) {
    throw new OrchestrateError({
      code: "INVALID_ARGUMENT",
      option: "keyPrefix",
      message: `Invalid option "keyPrefix": expected a non-empty string, received ${JSON.stringify(keyPrefix)}.`,
    });
  }
  const ownsClient = options.client === undefined;
  const client = options.client ?? createClient(options);
  const keys = redisKeys(keyPrefix);
  const now = options.now ?? Date.now;
  const subscriptions = new Set<() => void>();

  const guarded = async <TResult>(body: () => Promise<TResult>): Promise<TResult> => {
    try {
      return await body();
    } catch (error) {
      throw toStoreError(error);
    }
  };

  const getRun = (runId: string) => guarded(async () => toRunRecord(await client.hgetall(keys.run(runId))));

  return {
    setup: () =>
      guarded(async () => {
        const info = await client.info("server");
        const version = /redis_version:(\d+)\.(\d+)/.exec(info);
        const [major, minor] = [Number(version?.[1] ?? 0), Number(version?.[2] ?? 0)];
        if (major < 6 || (major === 6 && minor < 2)) {
          throw new Error(
            `The Redis store needs Redis 6.2 or newer; the server is ${version?.[0] ?? "unknown"}.`,
          );
        }
        for (const script of allScripts) await client.script("LOAD", script.source);
      }),

    createRun: (input: CreateRunInput) =>
      guarded(async (): Promise<CreateRunResult> => {
        const record = newRunRecord(input);
        const hasKey = input.idempotencyKey !== undefined;
        const lease = input.lease;
        const [created, id] = (await createRunScript.run(
          client,
          [
            keys.run(input.id),
            hasKey ? keys.idempotency(input.tenant, input.idempotencyKey!) : keys.run(input.id),
            keys.runsOf(input.tenant),
            keys.active,
            keys.lease(input.id),
            keys.leaseExpiries,
          ],
          [
            input.id,
            input.createdAt,
            hasKey ? "1" : "0",
            lease?.owner ?? "",
            lease?.ttlMs ?? 0,
            lease ? now() + lease.ttlMs : 0,
            ...runHashFields(record),
          ],
        )) as [number, string];
        if (created === 1) return { run: record, created: true };
        const existing = toRunRecord(await client.hgetall(keys.run(id)));
        if (!existing) throw new Error(`Run ${id} was neither created nor found; this is a bug.`);
        return { run: existing, created: false };
      }),

    append: (input: AppendInput) =>
      guarded(async () => {
        checkAppendInput(input);
        const last = input.events[input.events.length - 1]!;
        const [outcome, storedSeq] = (await appendScript.run(
          client,
          [keys.run(input.runId), keys.events(input.runId), keys.active, keys.finished],
          [
            input.runId,
            input.expectedSeq,
            input.status,
            last.at,
            isFinalRunStatus(input.status) ? "1" : "0",
            ...input.events.map((event) => JSON.stringify(event)),
          ],
        )) as [string, string?];
        if (outcome === "ok") return;
        if (outcome === "missing") throw runNotFound(input.runId);
        throw new OrchestrateError({
          code: "STORE_CONFLICT",
          runId: input.runId,
          message: `Append to run ${input.runId} expected last seq ${input.expectedSeq}, but the store is at ${storedSeq}.`,
        });
      }),

    getRun,

    readEvents: (runId, readOptions = {}) =>
      guarded(async () => {
        if (readOptions.limit !== undefined && readOptions.limit <= 0) return [];
        const start = String((readOptions.after ?? 0) + 1);
        const entries =
          readOptions.limit === undefined
            ? await client.xrange(keys.events(runId), start, "+")
            : await client.xrange(keys.events(runId), start, "+", "COUNT", readOptions.limit);
        return eventsOfEntries(entries);
      }),

    listRuns: (listOptions) => guarded(() => listRuns(client, keys, listOptions)),

    acquireLease: (runId, owner, ttlMs) =>
      guarded(async () => {
        const outcome = await acquireLeaseScript.run(
          client,
          [keys.run(runId), keys.lease(runId), keys.leaseExpiries],
          [runId, owner, ttlMs, now() + ttlMs],
        );
        if (outcome === -1) throw runNotFound(runId);
        return outcome === 1;
      }),

    renewLease: (runId, owner, ttlMs) =>
      guarded(async () => {
        const outcome = await renewLeaseScript.run(
          client,
          [keys.lease(runId), keys.leaseExpiries],
          [runId, owner, ttlMs, now() + ttlMs],
        );
        return outcome === 1;
      }),

    releaseLease: (runId, owner) =>
      guarded(async () => {
        await releaseLeaseScript.run(client, [keys.lease(runId), keys.leaseExpiries], [runId, owner]);
      }),

    findExpiredLeases: ({ now: at, limit }) =>
      guarded(async () => {
        if (limit <= 0) return [];
        return (await findExpiredLeasesScript.run(
          client,
          [keys.active, keys.leaseExpiries],
          [at, limit],
        )) as string[];
      }),

    deleteRuns: ({ before }) => guarded(() => deleteRuns(client, keys, before)),

    subscribe(runId, after, listener) {
      const stop = subscribeToStream({
        client,
        key: keys.events(runId),
        after,
        listener,
        blockMs: 5_000,
        retryMs: 500,
      });
      const unsubscribe = () => {
        subscriptions.delete(unsubscribe);
        stop();
      };
      subscriptions.add(unsubscribe);
      return unsubscribe;
    },

    async close() {
      for (const unsubscribe of [...subscriptions]) unsubscribe();
      if (!ownsClient) return;
      if (client.status === "ready") await client.quit().catch(() => client.disconnect());
      else client.disconnect();
    },
  };
}

function createClient(options: RedisStoreOptions): Redis {
  if (typeof options.url !== "string" || !/^rediss?:\/\//.test(options.url)) {
    throw new OrchestrateError({
      code: "INVALID_ARGUMENT",
      option: "url",
      message: `Invalid option "url": expected a redis:// or rediss:// URL, or a "client" instead, received ${JSON.stringify(options.url)}.`,
    });
  }
  const client = new Redis(options.url, {
    commandTimeout: positiveInteger("commandTimeoutMs", options.commandTimeoutMs ?? 5_000),
    connectTimeout: positiveInteger("connectTimeoutMs", options.connectTimeoutMs ?? 5_000),
    // Commands wait through one reconnection attempt at most, then fail: no queueing while Redis is down.
    maxRetriesPerRequest: 1,
    retryStrategy: (attempt) => Math.min(attempt * 100, 1_000),
  });
  // Connection errors surface as failed commands (STORE_UNAVAILABLE); the event would only be logged.
  client.on("error", () => undefined);
  return client;
}

function positiveInteger(option: string, value: number): number {
  if (Number.isInteger(value) && value > 0) return value;
  throw invalidArgument(option, "a positive integer", value);
}
