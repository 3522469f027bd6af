/**
 * Structural types for the parts of Cloudflare Workflows this package uses. The real `WorkflowStep`,
 * `Workflow` binding and `WorkflowInstance` from `cloudflare:workers` fit them, and so do test doubles.
 */

/** Retries and timeout of one `step.do` call, as Workflows takes them. */
export interface WorkflowStepConfig {
  /** Workflows' own retries of a failing step. */
  retries?: { limit: number; delay: string | number; backoff?: "constant" | "linear" | "exponential" };
  /** How long one attempt of the step may take: milliseconds or a duration such as `"10 minutes"`. */
  timeout?: string | number;
}

/** The `step` a Workflow's `run(event, step)` receives: the part the executor uses. */
export interface WorkflowStepLike {
  do<TResult>(name: string, config: WorkflowStepConfig, callback: () => Promise<TResult>): Promise<TResult>;
}

/** The `event` a Workflow's `run(event, step)` receives. */
export interface WorkflowEventLike<TParams> {
  /** The parameters the instance was created with. */
  payload: Readonly<TParams>;
  /** The instance id: the run id. */
  instanceId: string;
}

/** What `instance.status()` answers. */
export interface WorkflowInstanceStatusLike {
  /**
   * `queued`, `running`, `paused`, `waiting`, `waitingForPause`, `rollingBack` and `unknown` are alive;
   * `errored`, `terminated` and `complete` are final. Other values are treated as alive.
   */
  status: string;
  /** Why the instance errored. */
  error?: { name?: string; message: string } | string | null;
  /** What `run()` returned. */
  output?: unknown;
}

/** A Workflow instance handle. */
export interface WorkflowInstanceLike {
  id: string;
  status(): Promise<WorkflowInstanceStatusLike>;
  terminate(): Promise<void>;
}

/** A Workflow binding (`env.ORCHESTRATOR` with a `workflows` entry in the Wrangler config). */
export interface WorkflowBindingLike<TParams = unknown> {
  create(options: { id: string; params: TParams }): Promise<WorkflowInstanceLike>;
  /** Throws when there is no instance with this id. */
  get(id: string): Promise<WorkflowInstanceLike>;
}
