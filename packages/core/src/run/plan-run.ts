import { OrchestrateError } from "../errors/orchestrate-error.js";
import type { PlanInput, PlannedTask, PlanResult, PlanSummary } from "../roles/planner.js";
import type { RoleContext } from "../roles/role-context.js";
import type { Plan, Subtask } from "../types/subtask.js";
import { addUsage, emptyUsage, normalizeUsage, type Usage } from "../types/usage.js";
import { CarriedResults } from "./carried-results.js";
import { PlanBuilder } from "./plan-builder.js";
import { raceSignal } from "./race-signal.js";
import { toOrchestrateError } from "./retry-policy.js";
import { abortWork, type PlanAttemptWork, type RunExecution } from "./run-execution.js";
import { withRetries } from "./with-retries.js";

/** Plan attempts per execution: the first, and one more with the validation error as feedback. */
const maxPlanAttempts = 2;

/**
 * The planning phase. Streams subtasks into the task graph as the planner yields them, so workers start before
 * the plan is complete; validates each task on arrival and the whole plan at the end. An invalid plan is
 * discarded (tasks it started are aborted) and the planner is asked once more with exactly what was wrong.
 */
export async function planRun(execution: RunExecution): Promise<PlanAttemptWork> {
  const { log } = execution;
  const carried = new CarriedResults();
  let feedback: string | undefined;
  for (let attempt = 1; ; attempt++) {
    carried.collect(log.state);
    log.append(
      feedback === undefined ? { type: "plan-start", attempt } : { type: "plan-start", attempt, feedback },
    );
    execution.subtasks.clear();
    const work = execution.createWork();
    const builder = new PlanBuilder({
      maxSubtasks: execution.snapshot.maxSubtasks,
      hasWorker: (type) => execution.options.roles.workerFor(type) !== undefined,
    });
    // Streamed tasks join the graph at once (pipelining); a whole plan joins after plan-end.
    const deferred: Array<{ task: Subtask; settled: "completed" | undefined }> = [];
    const reused = new Set<string>();
    const publish = (task: Subtask, dispatch: boolean) => {
      execution.subtasks.set(task.id, task);
      log.planTask(task);
      const carriedOver = carried.take(task, reused);
      if (carriedOver) {
        // Its tokens were counted when it first ran.
        log.taskEnd(task.id, carriedOver.output, emptyUsage());
        reused.add(task.id);
      }
      const settled = carriedOver ? "completed" : undefined;
      if (dispatch) work.graph.add(task.id, task.dependsOn, settled);
      else deferred.push({ task, settled });
    };
    try {
      const outcome = await callPlanner(execution, { attempt, feedback }, builder, publish);
      let plan: Plan;
      try {
        plan = outcome.plan ?? builder.finish(outcome.analysis);
      } catch (error) {
        addUsage(execution.discardedPlanUsage, outcome.usage);
        throw error;
      }
      const usage = addUsage(outcome.usage, execution.discardedPlanUsage);
      const discarded = execution.discardedPlanUsage;
      discarded.inputTokens = 0;
      discarded.outputTokens = 0;
      discarded.totalTokens = 0;
      log.append({ type: "plan-end", plan, usage });
      for (const { task, settled } of deferred) work.graph.add(task.id, task.dependsOn, settled);
      work.graph.seal();
      execution.checkBudget();
      return work;
    } catch (error) {
      const failure = toOrchestrateError(error, { runId: execution.runId, role: "orchestrator" });
      abortWork(work, failure);
      work.graph.stop();
      if (failure.code !== "PLAN_INVALID" || attempt >= maxPlanAttempts || execution.isEnded) throw failure;
      feedback = failure.message;
    }
  }
}

interface PlannerOutcome {
  analysis: string | undefined;
  usage: Usage;
  /** The validated plan, when it was validated before its tasks were published (a whole, non-streamed plan). */
  plan?: Plan;
}

async function callPlanner(
  execution: RunExecution,
  request: { attempt: number; feedback: string | undefined },
  builder: PlanBuilder,
  publish: (task: Subtask, dispatch: boolean) => void,
): Promise<PlannerOutcome> {
  const { roles, executor } = execution.options;
  const signal = execution.runController.signal;
  const snapshot = execution.snapshot;
  const input: PlanInput = {
    prompt: execution.log.state.view.prompt,
    maxSubtasks: snapshot.maxSubtasks,
    taskTypes: roles.taskTypes,
    attempt: request.attempt,
    ...(request.feedback === undefined ? {} : { feedback: request.feedback }),
  };
  let published = 0;
  return withRetries(
    async (callAttempt) => {
      const reported = emptyUsage();
      const context: RoleContext = {
        runId: execution.runId,
        signal,
        deltasWanted: false,
        emitDelta: () => {},
        reportUsage: (usage) => addUsage(reported, usage),
      };
      const stepName = `plan${request.attempt > 1 ? `#${request.attempt}` : ""}${callAttempt > 1 ? `.${callAttempt}` : ""}`;
      try {
        return await planOnce(reported, context, stepName);
      } catch (error) {
        // A failed call may still have cost tokens (a plan that did not parse): they count as planning.
        addUsage(execution.discardedPlanUsage, reported);
        throw error;
      }
    },
    {
      retry: snapshot.retry,
      signal,
      runId: execution.runId,
      role: "orchestrator",
      canRetry: () => published === 0 && builder.size === 0,
    },
  );

  async function planOnce(reported: Usage, context: RoleContext, stepName: string): Promise<PlannerOutcome> {
    if (executor.durable) {
      // A durable step must return its whole result, so the stream is collected inside the step.
      const collected = await executor.do(stepName, async () =>
        collectPlan(roles.planner.plan(input, context), signal),
      );
      const tasks = collected.tasks.map((raw) => builder.add(raw));
      const plan = builder.finish(collected.analysis);
      for (const task of tasks) publish(task, false);
      return {
        analysis: collected.analysis,
        usage: addUsage(normalizeUsage(collected.usage), reported),
        plan,
      };
    }
    const source = roles.planner.plan(input, context);
    if (isAsyncIterable(source)) {
      const summary = await readPlanStream(source, signal, (task) => {
        publish(builder.add(task), true);
        published++;
      });
      return { analysis: summary?.analysis, usage: addUsage(normalizeUsage(summary?.usage), reported) };
    }
    const result = await raceSignal(Promise.resolve(source), signal);
    // Validate the whole plan before anything is published or runs from it.
    const tasks = readPlanResult(result).tasks.map((raw) => builder.add(raw));
    const plan = builder.finish(result.analysis);
    for (const task of tasks) publish(task, false);
    return { analysis: result.analysis, usage: addUsage(normalizeUsage(result.usage), reported), plan };
  }
}

async function collectPlan(
  source: ReturnType<import("../roles/planner.js").Planner["plan"]>,
  signal: AbortSignal,
): Promise<{ analysis?: string; tasks: PlannedTask[]; usage?: Partial<Usage> }> {
  if (!isAsyncIterable(source)) return readPlanResult(await raceSignal(Promise.resolve(source), signal));
  const tasks: PlannedTask[] = [];
  const summary = await readPlanStream(source, signal, (task) => tasks.push(task));
  return {
    ...(summary?.analysis === undefined ? {} : { analysis: summary.analysis }),
    tasks,
    ...(summary?.usage ? { usage: summary.usage } : {}),
  };
}

/**
 * Reads a streaming planner to its end, handing each task to `onTask` as it arrives, and answers its summary.
 * Every step is raced against `signal`; on any failure (including `onTask` throwing), the planner's iterator
 * is closed so that it can stop its model call.
 */
async function readPlanStream(
  source: AsyncIterable<PlannedTask>,
  signal: AbortSignal,
  onTask: (task: PlannedTask) => void,
): Promise<PlanSummary | undefined> {
  const iterator = source[Symbol.asyncIterator]();
  try {
    for (;;) {
      const step = await raceSignal(iterator.next(), signal);
      if (step.done) return (step.value ?? undefined) as PlanSummary | undefined;
      onTask(step.value);
    }
  } catch (error) {
    void Promise.resolve(iterator.return?.()).catch(() => {});
    throw error;
  }
}

function readPlanResult(result: unknown): PlanResult {
  if (typeof result !== "object" || result === null || !Array.isArray((result as PlanResult).tasks)) {
    throw new OrchestrateError({
      code: "PLAN_INVALID",
      message: "Invalid plan: the planner must return { tasks: [...] } or an async iterable of subtasks.",
    });
  }
  return result as PlanResult;
}

function isAsyncIterable(value: unknown): value is AsyncIterable<PlannedTask> {
  return (
    typeof value === "object" &&
    value !== null &&
    typeof (value as Record<symbol, unknown>)[Symbol.asyncIterator] === "function"
  );
}
