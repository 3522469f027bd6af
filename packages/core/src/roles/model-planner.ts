import {
  generateText,
  type LanguageModel,
  type LanguageModelUsage,
  NoObjectGeneratedError,
  Output,
  streamText,
} from "ai";
import { OrchestrateError } from "../errors/orchestrate-error.js";
import { fromLanguageModelUsage } from "./language-model-usage.js";
import type { ModelRoleOptions } from "./model-role-options.js";
import {
  type ModelPlan,
  modelPlanSchema,
  parseModelPlanText,
  validateModelPlannedTask,
} from "./plan-schema.js";
import { PlanStreamScanner } from "./plan-stream-scanner.js";
import type { PlanInput, PlannedTask, Planner, PlanResult, PlanSummary } from "./planner.js";
import { buildPlannerPrompt, defaultPlannerSystemPrompt } from "./prompts.js";
import type { RoleContext } from "./role-context.js";

/** Options for {@link modelPlanner}. */
export interface ModelPlannerOptions extends ModelRoleOptions {
  /**
   * Replaces the user prompt builder. The prompt must tell the model `input.maxSubtasks`, `input.taskTypes`
   * and, on a second attempt, `input.feedback`. @default buildPlannerPrompt
   */
  prompt?: (input: PlanInput) => string;
}

/**
 * The built-in planner: asks `model` for a structured plan `{ analysis, tasks }` (validated with zod), telling it
 * the subtask cap, the allowed task types and, on a retry, what was wrong with the previous plan.
 *
 * Streaming (the default) returns an async generator that yields each task as soon as its JSON object is complete
 * in the streamed text (found by a linear scan, parsed and validated on its own), so workers start while the plan is still being written, and returns `{ analysis, usage }`.
 * Without streaming it resolves to `{ analysis, tasks, usage }`.
 *
 * Output that is not JSON or does not match the schema throws an `OrchestrateError` with code `PLAN_INVALID`
 * and a message naming what was wrong, which the engine passes back as feedback. Provider errors such as
 * `APICallError` are rethrown unchanged. The planner never retries by itself.
 */
export function modelPlanner(model: LanguageModel, options: ModelPlannerOptions = {}): Planner {
  return {
    plan(input, context) {
      return options.stream === false
        ? generatePlan(model, input, context, options)
        : streamPlan(model, input, context, options);
    },
  };
}

/** Built once: turning the zod schema into the JSON schema sent to the model costs more than the call itself. */
const planOutput = Output.object({
  schema: modelPlanSchema,
  name: "plan",
  description: "A plan of subtasks.",
});

function callSettings(model: LanguageModel, input: PlanInput, options: ModelPlannerOptions) {
  return {
    model,
    system: options.system ?? defaultPlannerSystemPrompt,
    prompt: (options.prompt ?? buildPlannerPrompt)(input),
    output: planOutput,
    maxRetries: 0,
    // Only what is set, as for workers: the SDK copies and inspects every key of its settings.
    ...(options.temperature === undefined ? {} : { temperature: options.temperature }),
    ...(options.providerOptions === undefined ? {} : { providerOptions: options.providerOptions }),
  };
}

async function generatePlan(
  model: LanguageModel,
  input: PlanInput,
  context: RoleContext,
  options: ModelPlannerOptions,
): Promise<PlanResult> {
  try {
    const result = await generateText({
      ...callSettings(model, input, options),
      abortSignal: context.signal,
    });
    return planResult(result.output, result.usage);
  } catch (error) {
    context.signal.throwIfAborted();
    if (!NoObjectGeneratedError.isInstance(error)) throw error;
    return planResult(recoverPlan(error, context), error.usage);
  }
}

function planResult(plan: ModelPlan, usage: LanguageModelUsage | undefined): PlanResult {
  return { analysis: plan.analysis, tasks: plan.tasks, usage: fromLanguageModelUsage(usage) };
}

async function* streamPlan(
  model: LanguageModel,
  input: PlanInput,
  context: RoleContext,
  options: ModelPlannerOptions,
): AsyncGenerator<PlannedTask, PlanSummary> {
  // Aborted when planning ends early (invalid task, or the consumer stopped iterating) to stop the model call.
  const stop = new AbortController();
  let streamError: { error: unknown } | undefined;
  let finished = false;
  const settings = callSettings(model, input, options);
  const result = streamText({
    ...settings,
    // The SDK would re-parse the whole partial JSON on every chunk (quadratic in the plan's length); the scanner
    // below finds finished tasks in one pass instead, and the complete text is still parsed and validated once.
    // Text chunks pass only when the "partial output" changes, so answer something that changes on every chunk
    // without parsing: the length of the text so far.
    output: {
      ...settings.output,
      parsePartialOutput: async ({ text }: { text: string }) => ({ partial: text.length }),
    },
    abortSignal: AbortSignal.any([context.signal, stop.signal]),
    onError: ({ error }) => {
      streamError ??= { error };
    },
  });
  try {
    let yielded = 0;
    // Scan the raw text once for finished task objects: re-parsing the partial JSON per chunk is quadratic.
    const scanner = new PlanStreamScanner();
    for await (const chunk of result.textStream) {
      for (const element of scanner.push(chunk)) {
        yield validateModelPlannedTask(parseElement(element, yielded), yielded);
        yielded++;
      }
    }
    context.signal.throwIfAborted();
    if (streamError !== undefined) throw streamError.error;
    const { plan, usage } = await finalPlan(result, context);
    for (; yielded < plan.tasks.length; yielded++)
      yield validateModelPlannedTask(plan.tasks[yielded], yielded);
    finished = true;
    return { analysis: plan.analysis, usage: fromLanguageModelUsage(usage) };
  } finally {
    if (!finished) stop.abort(new Error("Planning ended before the model finished."));
  }
}

async function finalPlan(
  result: { output: PromiseLike<ModelPlan>; usage: PromiseLike<LanguageModelUsage> },
  context: RoleContext,
): Promise<{ plan: ModelPlan; usage: LanguageModelUsage | undefined }> {
  try {
    return { plan: await result.output, usage: await result.usage };
  } catch (error) {
    context.signal.throwIfAborted();
    if (!NoObjectGeneratedError.isInstance(error)) throw error;
    return { plan: recoverPlan(error, context), usage: error.usage };
  }
}

/** Parses one task object found by the scanner; a malformed one is `PLAN_INVALID`, like any bad plan. */
function parseElement(text: string, index: number): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new OrchestrateError({
      code: "PLAN_INVALID",
      message: `The plan does not match the schema: tasks[${index}] is not valid JSON.`,
      cause: error,
    });
  }
}

/** Parses what the SDK could not (a fenced JSON block, say), or throws `PLAN_INVALID` after reporting usage. */
function recoverPlan(error: NoObjectGeneratedError, context: RoleContext): ModelPlan {
  try {
    return parseModelPlanText(error.text, error);
  } catch (planError) {
    // The failed attempt still cost tokens; nothing else will report them.
    if (error.usage !== undefined) context.reportUsage(fromLanguageModelUsage(error.usage));
    throw planError;
  }
}
