import { invalidArgument, OrchestrateError } from "../errors/orchestrate-error.js";
import type { RunOptions } from "../orchestrator/orchestrator.js";
import type { FailurePolicy } from "../types/failure-policy.js";
import type { ClientOptionName, ResolvedFetchHandlerOptions } from "./fetch-handler-options.js";
import { clientOptionNames } from "./fetch-handler-options.js";

/** The run options a client may send: the {@link ClientOptionName}s of {@link RunOptions}. */
export type ClientRunOptions = Pick<RunOptions, ClientOptionName>;

/** A validated `POST /` body. */
export interface RunRequest {
  /** The prompt: a non-empty string within the server's limit. */
  prompt: string;
  /** The client's run options, validated against the server's allowlist and caps. */
  options: ClientRunOptions;
}

const failurePolicies: readonly FailurePolicy[] = ["settle", "fail-fast"];
const maxMetadataDepth = 16;

/**
 * Validates a `POST /` body, `{"prompt": string, "options"?: {...}}`, and answers a normalized
 * {@link RunRequest} holding only known fields (unknown top-level fields are ignored, as the original API did;
 * unknown options are not). Throws `INVALID_ARGUMENT` naming the field, the expectation and the value.
 */
export function parseRunRequest(
  body: unknown,
  settings: Pick<ResolvedFetchHandlerOptions, "maxPromptChars" | "clientOptions" | "limits">,
): RunRequest {
  if (!isPlainObject(body)) throw invalidArgument("body", 'a JSON object like {"prompt": "..."}', body);
  const prompt = body.prompt;
  if (typeof prompt !== "string" || prompt.trim() === "") {
    throw invalidArgument("prompt", "a non-empty string", prompt);
  }
  if (prompt.length > settings.maxPromptChars) {
    throw invalid(
      "prompt",
      `expected at most ${settings.maxPromptChars} characters, received ${prompt.length}`,
    );
  }
  return { prompt, options: parseClientOptions(body.options, settings) };
}

function parseClientOptions(
  value: unknown,
  settings: Pick<ResolvedFetchHandlerOptions, "clientOptions" | "limits">,
): ClientRunOptions {
  if (value === undefined) return {};
  if (!isPlainObject(value)) throw invalidArgument("options", "an object", value);
  const { limits } = settings;
  const options: ClientRunOptions = {};
  for (const [name, option] of Object.entries(value)) {
    if (
      !clientOptionNames.includes(name as ClientOptionName) ||
      !settings.clientOptions.has(name as ClientOptionName)
    ) {
      const accepted = [...settings.clientOptions].join(", ") || "none";
      throw new OrchestrateError({
        code: "INVALID_ARGUMENT",
        option: `options.${name.slice(0, 60)}`,
        message: `Unknown option ${JSON.stringify(`options.${name.slice(0, 60)}`)}: this server accepts ${accepted}.`,
      });
    }
    if (option === undefined) continue;
    switch (name as ClientOptionName) {
      case "concurrency":
        options.concurrency = integer("options.concurrency", option, limits.concurrency);
        break;
      case "maxSubtasks":
        options.maxSubtasks = integer("options.maxSubtasks", option, limits.maxSubtasks);
        break;
      case "failurePolicy":
        if (!failurePolicies.includes(option as FailurePolicy)) {
          throw invalidArgument("options.failurePolicy", '"settle" or "fail-fast"', option);
        }
        options.failurePolicy = option as FailurePolicy;
        break;
      case "budget": {
        const budget = fields("options.budget", option, ["maxTokens"]);
        options.budget =
          budget.maxTokens === undefined
            ? {}
            : { maxTokens: integer("options.budget.maxTokens", budget.maxTokens, limits.maxTokens) };
        break;
      }
      case "timeouts": {
        const timeouts = fields("options.timeouts", option, ["taskMs", "runMs"]);
        options.timeouts = {};
        if (timeouts.taskMs !== undefined)
          options.timeouts.taskMs = integer("options.timeouts.taskMs", timeouts.taskMs, limits.taskMs);
        if (timeouts.runMs !== undefined)
          options.timeouts.runMs = integer("options.timeouts.runMs", timeouts.runMs, limits.runMs);
        break;
      }
      case "metadata":
        options.metadata = metadata(option, limits.metadataBytes);
        break;
    }
  }
  return options;
}

function integer(option: string, value: unknown, max: number): number {
  if (typeof value !== "number" || !Number.isInteger(value) || value < 1 || value > max) {
    const cap = max === Number.MAX_SAFE_INTEGER ? "" : " (this server's cap)";
    throw invalidArgument(option, `an integer from 1 to ${max}${cap}`, value);
  }
  return value;
}

function fields(option: string, value: unknown, known: readonly string[]): Record<string, unknown> {
  if (!isPlainObject(value)) throw invalidArgument(option, `an object with ${known.join(", ")}`, value);
  for (const name of Object.keys(value)) {
    if (!known.includes(name)) {
      throw invalidArgument(`${option}.${name.slice(0, 60)}`, `only ${known.join(", ")} in ${option}`, name);
    }
  }
  return value;
}

function metadata(value: unknown, maxBytes: number): Record<string, unknown> {
  if (!isPlainObject(value)) throw invalidArgument("options.metadata", "a JSON object", value);
  // Depth is checked iteratively before anything recurses over the value (serializing, fingerprinting).
  const stack: Array<[unknown, number]> = [[value, 1]];
  while (stack.length > 0) {
    const [item, depth] = stack.pop()!;
    if (item === null || typeof item !== "object") continue;
    if (depth > maxMetadataDepth) {
      throw invalid(
        "options.metadata",
        `expected at most ${maxMetadataDepth} levels of nesting, received more`,
      );
    }
    for (const child of Object.values(item)) stack.push([child, depth + 1]);
  }
  const bytes = new TextEncoder().encode(JSON.stringify(value)).byteLength;
  if (bytes > maxBytes) {
    throw invalid("options.metadata", `expected at most ${maxBytes} bytes of JSON, received ${bytes}`);
  }
  return value;
}

function invalid(option: string, detail: string): OrchestrateError {
  return new OrchestrateError({
    code: "INVALID_ARGUMENT",
    option,
    message: `Invalid option "${option}": ${detail}.`,
  });
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
