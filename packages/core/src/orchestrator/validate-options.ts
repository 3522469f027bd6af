import { invalidArgument } from "../errors/orchestrate-error.js";
import { resolveRetryOptions } from "../run/retry-policy.js";
import type { RunOptionsSnapshot } from "../types/run-options-snapshot.js";
import { definedOnly } from "./defined-only.js";
import type { ExecutionOptions, RunOptions } from "./orchestrator.js";

/** Defaults for {@link ExecutionOptions}. */
export const executionDefaults = Object.freeze({
  concurrency: 4,
  maxSubtasks: 10,
  failurePolicy: "settle" as const,
});

/** Largest plan accepted. */
export const maxSubtasksLimit = 10_000;

const runIdPattern = /^[A-Za-z0-9][A-Za-z0-9_.:-]{0,127}$/;

/**
 * Merges per-run execution options over the orchestrator's defaults and validates every field, throwing
 * `INVALID_ARGUMENT` that names the option (with `prefix`), the expected range and the value received.
 */
export function resolveExecutionOptions(
  options: ExecutionOptions | undefined,
  defaults: ExecutionOptions | undefined,
  prefix = "",
): RunOptionsSnapshot {
  // Field by field rather than spreading the merged objects: this runs for every run.
  const concurrency = pick(options?.concurrency, defaults?.concurrency) ?? executionDefaults.concurrency;
  if (!(concurrency === Number.POSITIVE_INFINITY || (Number.isInteger(concurrency) && concurrency >= 1))) {
    throw invalidArgument(`${prefix}concurrency`, "a positive integer or Infinity", concurrency);
  }
  const maxSubtasks = pick(options?.maxSubtasks, defaults?.maxSubtasks) ?? executionDefaults.maxSubtasks;
  if (!Number.isInteger(maxSubtasks) || maxSubtasks < 1 || maxSubtasks > maxSubtasksLimit) {
    throw invalidArgument(`${prefix}maxSubtasks`, `an integer from 1 to ${maxSubtasksLimit}`, maxSubtasks);
  }
  const failurePolicy =
    pick(options?.failurePolicy, defaults?.failurePolicy) ?? executionDefaults.failurePolicy;
  if (failurePolicy !== "settle" && failurePolicy !== "fail-fast") {
    throw invalidArgument(`${prefix}failurePolicy`, '"settle" or "fail-fast"', failurePolicy);
  }
  checkObject(pick(options?.retry, defaults?.retry), `${prefix}retry`);
  const retry = resolveRetryOptions(mergeDefined(defaults?.retry, options?.retry));
  checkObject(pick(options?.timeouts, defaults?.timeouts), `${prefix}timeouts`);
  const timeouts: RunOptionsSnapshot["timeouts"] = {};
  for (const key of ["taskMs", "runMs"] as const) {
    const value = pick(options?.timeouts?.[key], defaults?.timeouts?.[key]);
    if (value === undefined) continue;
    if (!isPositiveFinite(value))
      throw invalidArgument(`${prefix}timeouts.${key}`, "a positive number of milliseconds", value);
    timeouts[key] = value;
  }
  checkObject(pick(options?.budget, defaults?.budget), `${prefix}budget`);
  const budget: RunOptionsSnapshot["budget"] = {};
  const maxTokens = pick(options?.budget?.maxTokens, defaults?.budget?.maxTokens);
  if (maxTokens !== undefined) {
    if (!Number.isInteger(maxTokens) || maxTokens < 1) {
      throw invalidArgument(`${prefix}budget.maxTokens`, "a positive integer number of tokens", maxTokens);
    }
    budget.maxTokens = maxTokens;
  }
  return { concurrency, maxSubtasks, failurePolicy, retry, timeouts, budget };
}

/** The run's value when it set one (even `null`), else the default: what `{ ...defaults, ...defined }` gives. */
function pick<TValue>(value: TValue | undefined, fallback: TValue | undefined): TValue | undefined {
  return value !== undefined ? value : fallback;
}

/** `{ ...defaults, ...definedOnly(value) }`, without copies when one side is missing. */
function mergeDefined<TValue extends object>(
  defaults: TValue | undefined,
  value: TValue | undefined,
): Partial<TValue> | undefined {
  if (value === undefined) return defaults;
  if (defaults === undefined) return value;
  return { ...defaults, ...definedOnly(value) };
}

/** Validates the per-run fields that are not execution limits. */
export function validateRunOptions(prompt: unknown, options: RunOptions | undefined): void {
  if (typeof prompt !== "string" || prompt.trim() === "") {
    throw invalidArgument("prompt", "a non-empty string", prompt);
  }
  if (options === undefined) return;
  if (typeof options !== "object" || options === null) throw invalidArgument("options", "an object", options);
  if (options.signal !== undefined && !(options.signal instanceof AbortSignal)) {
    throw invalidArgument("signal", "an AbortSignal", options.signal);
  }
  if (options.onEvent !== undefined && typeof options.onEvent !== "function") {
    throw invalidArgument("onEvent", "a function", options.onEvent);
  }
  if (
    options.runId !== undefined &&
    (typeof options.runId !== "string" || !runIdPattern.test(options.runId))
  ) {
    throw invalidArgument("runId", 'a string of 1-128 letters, digits, "_", ".", ":" or "-"', options.runId);
  }
  for (const key of ["idempotencyKey", "fingerprint", "tenant"] as const) {
    const value = options[key];
    if (value !== undefined && (typeof value !== "string" || value === "" || value.length > 256)) {
      throw invalidArgument(key, "a string of 1-256 characters", value);
    }
  }
  if (
    options.metadata !== undefined &&
    (typeof options.metadata !== "object" || options.metadata === null || Array.isArray(options.metadata))
  ) {
    throw invalidArgument("metadata", "a plain JSON object", options.metadata);
  }
}

function checkObject(value: unknown, option: string): void {
  if (value !== undefined && (typeof value !== "object" || value === null || Array.isArray(value))) {
    throw invalidArgument(option, "an object", value);
  }
}

function isPositiveFinite(value: unknown): value is number {
  return typeof value === "number" && Number.isFinite(value) && value > 0;
}
