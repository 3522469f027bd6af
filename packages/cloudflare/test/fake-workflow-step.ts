import type { WorkflowStepConfig, WorkflowStepLike } from "../src/index.js";

/**
 * A stand-in for Workflows' `step` with its replay semantics: a step's result (or error) is kept under its
 * name and the number of times that name was used in the current `run()` call, and a later `run()` call
 * (after {@link FakeWorkflowStep.replay}) gets kept results back without running the callback.
 */
export class FakeWorkflowStep implements WorkflowStepLike {
  /** Names whose callback ran, in order, since the last replay. */
  executed: string[] = [];
  /** Configs passed with each name. */
  readonly configs = new Map<string, WorkflowStepConfig>();
  private readonly kept = new Map<string, { value: unknown } | { error: Error }>();
  private counts = new Map<string, number>();

  /** Starts a new `run()` call: step counters restart, kept results stay. */
  replay(): this {
    this.counts = new Map();
    this.executed = [];
    return this;
  }

  async do<TResult>(
    name: string,
    config: WorkflowStepConfig,
    callback: () => Promise<TResult>,
  ): Promise<TResult> {
    const count = (this.counts.get(name) ?? 0) + 1;
    this.counts.set(name, count);
    this.configs.set(name, config);
    const key = `${name}#${count}`;
    const kept = this.kept.get(key);
    if (kept) {
      if ("error" in kept) throw kept.error;
      return structuredClone(kept.value) as TResult;
    }
    this.executed.push(name);
    try {
      const value = await callback();
      this.kept.set(key, { value: structuredClone(value) });
      return structuredClone(value);
    } catch (error) {
      // Like Workflows: what crosses the boundary is the error's name and message.
      const copy = new Error(error instanceof Error ? error.message : String(error));
      copy.name = error instanceof Error ? error.name : "Error";
      this.kept.set(key, { error: copy });
      throw copy;
    }
  }
}
