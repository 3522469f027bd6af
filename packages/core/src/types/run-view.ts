import type { SerializedError } from "../errors/orchestrate-error.js";
import type { RunEndReason, RunPhase, RunStatus, TaskStatus } from "./status.js";
import type { Plan, Subtask } from "./subtask.js";
import type { Usage } from "./usage.js";

/** The state of one subtask, folded from the run's events. */
export interface TaskView extends Subtask {
  /** Where the task is in its lifecycle. */
  status: TaskStatus;
  /** The worker's output, once completed. */
  output?: unknown;
  /** Why the task failed, was skipped or was cancelled. */
  error?: SerializedError;
  /** Attempts started so far. */
  attempts: number;
  /** Tokens the task spent over every attempt. */
  usage: Usage;
  /** When the latest attempt started, epoch ms. */
  startedAt?: number;
  /** When the task reached a final status, epoch ms. */
  endedAt?: number;
}

/** Token usage of a run, in total and per role. */
export interface RunUsage extends Usage {
  /** Per role: planning, all workers, aggregation. */
  byRole: { orchestrator: Usage; worker: Usage; aggregator: Usage };
}

/**
 * The state of a run: a fold over its event log. This is what `GET /:id` answers and what
 * `orchestrator.get(id)` returns.
 */
export interface RunView<TOutput = unknown> {
  /** The run id (a UUID unless the caller chose one). */
  id: string;
  /** The run's lifecycle status. */
  status: RunStatus;
  /** Where the run is. */
  phase: RunPhase;
  /** The user's prompt. */
  prompt: string;
  /** The plan, once planning produced one (tasks appear as the planner streams them). */
  plan?: Plan;
  /** Every subtask of the plan with its state, in plan order. */
  tasks: TaskView[];
  /** The aggregated output, once the run completed. */
  output?: TOutput;
  /** Why the run failed or was cancelled. */
  error?: SerializedError;
  /** Why a completed run stopped early, if it did. */
  reason?: RunEndReason;
  /** Tokens spent so far. */
  usage: RunUsage;
  /** The tenant the run belongs to, if any. */
  tenant?: string;
  /** Caller-supplied metadata. */
  metadata?: Record<string, unknown>;
  /** When the run was created, epoch ms. */
  createdAt: number;
  /** When the latest event happened, epoch ms. */
  updatedAt: number;
  /** The seq of the latest stored event. */
  seq: number;
}

/** The result of a finished run: its final {@link RunView}. */
export type RunResult<TOutput = unknown> = RunView<TOutput>;
