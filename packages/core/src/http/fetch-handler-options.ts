import { invalidArgument } from "../errors/orchestrate-error.js";

/** What {@link FetchHandlerOptions.authenticate} answers for a request it accepts. */
export interface AuthenticateResult {
  /**
   * The tenant the caller acts for. Runs are created in it, and listed, read, streamed and cancelled only
   * within it: another tenant's run answers 404. @default no tenant
   */
  tenant?: string;
}

/** The run options a client may send in `POST /` under `"options"`. */
export type ClientOptionName =
  | "concurrency"
  | "maxSubtasks"
  | "failurePolicy"
  | "budget"
  | "timeouts"
  | "metadata";

/** Every {@link ClientOptionName}: the default of {@link FetchHandlerOptions.clientOptions}. */
export const clientOptionNames: readonly ClientOptionName[] = Object.freeze([
  "concurrency",
  "maxSubtasks",
  "failurePolicy",
  "budget",
  "timeouts",
  "metadata",
]);

/**
 * The server's caps on client-supplied run options. A client value above a cap is rejected with 400 naming the
 * cap; it is never silently clamped. Options the client leaves out take the orchestrator's own defaults.
 */
export interface ClientOptionLimits {
  /** Highest `options.concurrency` a client may ask for; a positive integer. @default 4 */
  concurrency?: number;
  /** Highest `options.maxSubtasks` a client may ask for; 1 to 1000. @default 10 */
  maxSubtasks?: number;
  /** Highest `options.budget.maxTokens` a client may ask for; a positive integer. @default no cap */
  maxTokens?: number;
  /** Highest `options.timeouts.taskMs`, in milliseconds. @default 2147483647 (about 24.8 days) */
  taskMs?: number;
  /** Highest `options.timeouts.runMs`, in milliseconds. @default 2147483647 (about 24.8 days) */
  runMs?: number;
  /** Largest `options.metadata`, in bytes of UTF-8 JSON. @default 16384 */
  metadataBytes?: number;
}

/** Options for {@link createFetchHandler}. */
export interface FetchHandlerOptions {
  /**
   * The path the API is served under, e.g. `"/runs"`: `POST /runs`, `GET /runs/:id`. Requests outside it
   * answer 404. Adapters that know their mount point (Express) set it themselves. @default ""
   */
  basePath?: string;
  /**
   * Decides who the caller is, before anything else is read. Answer `{ tenant }` to accept the request (runs
   * are scoped to that tenant), `null` or `undefined` to answer 401 `UNAUTHENTICATED`; throw an
   * `OrchestrateError` with code `FORBIDDEN` to answer 403. @default every request is accepted, without a tenant
   */
  authenticate?: (
    request: Request,
  ) => AuthenticateResult | null | undefined | Promise<AuthenticateResult | null | undefined>;
  /** Largest request body, in bytes, counted while streaming (no `Content-Length` needed). Larger is 413. @default 1048576 (1 MiB) */
  maxBodyBytes?: number;
  /** Longest `prompt`, in UTF-16 code units (JavaScript string length). Longer is 400. @default 100000 */
  maxPromptChars?: number;
  /** The run options a client may send; any other option is 400, naming it. @default every {@link ClientOptionName} */
  clientOptions?: readonly ClientOptionName[];
  /** Caps on client-supplied run options. @default see {@link ClientOptionLimits} */
  limits?: ClientOptionLimits;
  /** Interval between SSE heartbeat comments (`: heartbeat`), in milliseconds, so proxies keep the stream open. @default 15000 */
  heartbeatMs?: number;
  /**
   * Called with every error that answers a 5xx status (the client gets only a generic message for unexpected
   * errors). Use it to log. @default logs unexpected (500) errors with `console.error`
   */
  onError?: (error: unknown, request: Request) => void;
}

/** {@link FetchHandlerOptions} with every default applied. */
export interface ResolvedFetchHandlerOptions {
  basePath: string;
  authenticate: FetchHandlerOptions["authenticate"];
  maxBodyBytes: number;
  maxPromptChars: number;
  clientOptions: ReadonlySet<ClientOptionName>;
  limits: Required<ClientOptionLimits>;
  heartbeatMs: number;
  /**
   * Reports a 5xx error: to the user's `onError` (the web `Request` is made only then), else to the console.
   * Never throws: a failing callback or request translation must not turn the answer into a rejection.
   */
  onError: (error: unknown, request: () => Request, status: number) => void;
}

/** The longest delay `setTimeout` honours; longer ones fire at once. */
const maxTimerMs = 2_147_483_647;
const unbounded = Number.MAX_SAFE_INTEGER;

/** Validates {@link FetchHandlerOptions} and applies the defaults; an invalid option throws `INVALID_ARGUMENT`. */
export function resolveFetchHandlerOptions(options: FetchHandlerOptions): ResolvedFetchHandlerOptions {
  const limits = options.limits ?? {};
  const clientOptions = options.clientOptions ?? clientOptionNames;
  if (!Array.isArray(clientOptions)) {
    throw invalidArgument("clientOptions", `an array of ${clientOptionNames.join(", ")}`, clientOptions);
  }
  for (const name of clientOptions) {
    if (!clientOptionNames.includes(name)) {
      throw invalidArgument("clientOptions", `only ${clientOptionNames.join(", ")}`, name);
    }
  }
  if (options.authenticate !== undefined && typeof options.authenticate !== "function") {
    throw invalidArgument("authenticate", "a function", options.authenticate);
  }
  if (options.onError !== undefined && typeof options.onError !== "function") {
    throw invalidArgument("onError", "a function", options.onError);
  }
  const onError = options.onError;
  return {
    basePath: normalizeBasePath(options.basePath),
    authenticate: options.authenticate,
    maxBodyBytes: integerOption("maxBodyBytes", options.maxBodyBytes, 1_048_576, 1, unbounded),
    maxPromptChars: integerOption("maxPromptChars", options.maxPromptChars, 100_000, 1, unbounded),
    clientOptions: new Set(clientOptions),
    limits: {
      concurrency: integerOption("limits.concurrency", limits.concurrency, 4, 1, unbounded),
      maxSubtasks: integerOption("limits.maxSubtasks", limits.maxSubtasks, 10, 1, 1000),
      maxTokens: integerOption("limits.maxTokens", limits.maxTokens, unbounded, 1, unbounded),
      taskMs: integerOption("limits.taskMs", limits.taskMs, maxTimerMs, 1, maxTimerMs),
      runMs: integerOption("limits.runMs", limits.runMs, maxTimerMs, 1, maxTimerMs),
      metadataBytes: integerOption("limits.metadataBytes", limits.metadataBytes, 16_384, 2, unbounded),
    },
    heartbeatMs: integerOption("heartbeatMs", options.heartbeatMs, 15_000, 1, maxTimerMs),
    onError: (error, request, status) => {
      try {
        if (onError) onError(error, request());
        else if (status === 500)
          console.error("orchestrator-workers: unexpected error answering a request", error);
      } catch (callbackError) {
        console.error("orchestrator-workers: onError threw", callbackError);
      }
    },
  };
}

function integerOption(
  option: string,
  value: number | undefined,
  fallback: number,
  min: number,
  max: number,
) {
  if (value === undefined) return fallback;
  if (!Number.isInteger(value) || value < min || value > max) {
    throw invalidArgument(option, `an integer from ${min} to ${max}`, value);
  }
  return value;
}

function normalizeBasePath(basePath: string | undefined): string {
  if (basePath === undefined || basePath === "" || basePath === "/") return "";
  if (typeof basePath !== "string" || !/^\/[^?#\s]*$/.test(basePath)) {
    throw invalidArgument(
      "basePath",
      'a path starting with "/" (without query or fragment), or ""',
      basePath,
    );
  }
  return basePath.replace(/\/+$/, "");
}
