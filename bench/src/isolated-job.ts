import type { ContenderName } from "./contenders.js";

/** One contender measured in a process of its own (see `isolated-sampler.ts`). */
export interface IsolatedJob {
  contender: ContenderName;
  /** Subtasks per run (L = 0 always). */
  tasks: number;
  /** Worker concurrency inside each run (`Infinity` travels as `null` over IPC). */
  concurrency: number | null;
  /** Runs kept in flight at once during a sample: 1 is sequential. */
  parallelism: number;
  /**
   * Warm-up before the first sample, in milliseconds (and at least one run): long enough for the JIT to reach
   * its steady state, which takes the engine's larger code path longer than the baseline's.
   */
  warmupMs: number;
  samples: number;
  /** Each sample lasts at least this long, in milliseconds, and holds at least `minRuns` runs. */
  sampleMs: number;
  minRuns: number;
}

/** What one sample measured. */
export interface IsolatedSample {
  /** Runs completed. */
  runs: number;
  /** Wall time of the sample, in milliseconds. */
  wallMs: number;
  /** Process CPU time (user + system, every thread), in microseconds. */
  cpuUs: number;
}

/** The child's answer: its samples, or what went wrong. */
export type IsolatedReply =
  | { type: "samples"; samples: IsolatedSample[] }
  | { type: "error"; message: string };
