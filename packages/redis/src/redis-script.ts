import { createHash } from "node:crypto";
import type { Redis } from "ioredis";

/** A Lua script run with `EVALSHA`, falling back to `EVAL` (which caches it) when the server does not know it. */
export interface RedisScript {
  /** The script's SHA-1, as `SCRIPT LOAD` answers it. */
  readonly sha: string;
  /** The Lua source. */
  readonly source: string;
  /** Runs the script atomically with `keys` and `args`. */
  run(client: Redis, keys: string[], args: Array<string | number>): Promise<unknown>;
}

/**
 * Wraps a Lua source. Unlike ioredis' `defineCommand`, it adds nothing to the client, so that a client passed in
 * by the application is left as it was.
 */
export function redisScript(source: string): RedisScript {
  const sha = createHash("sha1").update(source).digest("hex");
  return {
    sha,
    source,
    async run(client, keys, args) {
      try {
        return await client.evalsha(sha, keys.length, ...keys, ...args);
      } catch (error) {
        if (!(error instanceof Error) || !error.message.startsWith("NOSCRIPT")) throw error;
        return client.eval(source, keys.length, ...keys, ...args);
      }
    },
  };
}
