import type { AggregateInput, Aggregator } from "../roles/aggregator.js";
import type { PlanInput, PlannedTask, Planner, PlanResult, PlanSummary } from "../roles/planner.js";
import { stringifyOutput } from "../roles/prompts.js";
import type { RoleContext } from "../roles/role-context.js";
import type { Worker, WorkerInput } from "../roles/worker.js";
import { raceSignal } from "../run/race-signal.js";
import { sleep } from "../run/sleep.js";
import type { Usage } from "../types/usage.js";

/** A scripted plan: a full {@link PlanResult} (a `Plan` is one) or just its tasks. */
export type ScriptedPlan = PlanResult | PlannedTask[];

/** Options for {@link scriptedPlanner}. */
export interface ScriptedPlannerOptions {
  /** Wait this long before planning, in milliseconds. @default 0 */
  delayMs?: number;
  /** With `stream`, wait this long between two tasks, in milliseconds. @default 0 */
  perTaskDelayMs?: number;
  /** Yield the tasks one by one from an async generator (a streaming planner) instead of returning them. @default false */
  stream?: boolean;
}

/**
 * A planner for offline tests that returns a fixed plan, or the plan a function computes from the input (use
 * `input.attempt` or `input.feedback` to script a retry; throw to fail). Honours `context.signal`: an abort
 * rejects at once with the signal's reason.
 */
export function scriptedPlanner(
  plan: ScriptedPlan | ((input: PlanInput) => ScriptedPlan | Promise<ScriptedPlan>),
  options: ScriptedPlannerOptions = {},
): Planner {
  const resolve = async (input: PlanInput, signal: AbortSignal): Promise<PlanResult> => {
    await pause(options.delayMs, signal);
    const value = await raceSignal(
      Promise.resolve().then(() => (typeof plan === "function" ? plan(input) : plan)),
      signal,
    );
    return Array.isArray(value) ? { tasks: value } : value;
  };
  async function* stream(input: PlanInput, signal: AbortSignal): AsyncGenerator<PlannedTask, PlanSummary> {
    const result = await resolve(input, signal);
    for (const [index, task] of result.tasks.entries()) {
      if (index > 0) await pause(options.perTaskDelayMs, signal);
      yield task;
    }
    return { analysis: result.analysis, usage: result.usage };
  }
  return {
    plan: (input, context) =>
      options.stream ? stream(input, context.signal) : resolve(input, context.signal),
  };
}

/** Options for {@link scriptedWorker} and {@link scriptedAggregator}. */
export interface ScriptedRoleOptions {
  /** Simulated duration of each call, in milliseconds. @default 0 */
  latencyMs?: number;
  /** The usage each call returns. @default none */
  usage?: Partial<Usage>;
}

/**
 * A worker's script: a function from the input to the output, or a map from task id to output. A map value that
 * is an `Error` makes that task fail with it; a task missing from the map outputs `[scripted] <title>`.
 */
export type ScriptedWorkerScript<TOutput> =
  | ((input: WorkerInput, context: RoleContext) => TOutput | Promise<TOutput>)
  | Record<string, TOutput | Error>;

/**
 * A worker for offline tests. Without a script every task outputs `[scripted] <title>`. A string output is also
 * emitted as one delta. Honours `context.signal`: an abort rejects at once with the signal's reason.
 */
export function scriptedWorker<TOutput = string>(
  script?: ScriptedWorkerScript<TOutput>,
  options: ScriptedRoleOptions = {},
): Worker<TOutput | string> {
  return {
    async run(input, context) {
      await pause(options.latencyMs, context.signal);
      const output = await raceSignal(
        Promise.resolve().then(() => workerOutput(script, input, context)),
        context.signal,
      );
      if (typeof output === "string") context.emitDelta(output);
      return options.usage === undefined ? { output } : { output, usage: options.usage };
    },
  };
}

function workerOutput<TOutput>(
  script: ScriptedWorkerScript<TOutput> | undefined,
  input: WorkerInput,
  context: RoleContext,
): TOutput | string | Promise<TOutput> {
  if (typeof script === "function") return script(input, context);
  if (script === undefined || !Object.hasOwn(script, input.task.id)) return `[scripted] ${input.task.title}`;
  const output = script[input.task.id] as TOutput | Error;
  if (output instanceof Error) throw output;
  return output;
}

/**
 * An aggregator for offline tests: a function from the input to the output, or a fixed output. Without one it
 * lists each result as `<title>: <output>` and each failure as `Missing <title> (<status>): <message>`. A string
 * output is also emitted as one delta. Honours `context.signal`: an abort rejects at once with the signal's reason.
 */
export function scriptedAggregator<TOutput = string>(
  script?: ((input: AggregateInput, context: RoleContext) => TOutput | Promise<TOutput>) | TOutput,
  options: ScriptedRoleOptions = {},
): Aggregator<TOutput | string> {
  return {
    async aggregate(input, context) {
      await pause(options.latencyMs, context.signal);
      const output = await raceSignal(
        Promise.resolve().then(() => {
          if (typeof script === "function") {
            return (script as (input: AggregateInput, context: RoleContext) => TOutput | Promise<TOutput>)(
              input,
              context,
            );
          }
          return script === undefined ? defaultAnswer(input) : script;
        }),
        context.signal,
      );
      if (typeof output === "string") context.emitDelta(output);
      return options.usage === undefined ? { output } : { output, usage: options.usage };
    },
  };
}

function defaultAnswer(input: AggregateInput): string {
  const lines = input.results.map((result) => `${result.task.title}: ${stringifyOutput(result.output)}`);
  for (const failure of input.failures) {
    lines.push(`Missing ${failure.task.title} (${failure.status}): ${failure.error.message}`);
  }
  return lines.join("\n");
}

async function pause(ms: number | undefined, signal: AbortSignal): Promise<void> {
  if (ms !== undefined && ms > 0) await sleep(ms, signal);
  else signal.throwIfAborted();
}
