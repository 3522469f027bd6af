/** Token usage of one model call, one task, one role or one run. Counts are whole tokens. */
export interface Usage {
  /** Prompt tokens. */
  inputTokens: number;
  /** Completion tokens. */
  outputTokens: number;
  /** `inputTokens + outputTokens` unless the provider reported a different total. */
  totalTokens: number;
}

/** Usage with every count at zero. Returns a fresh object. */
export function emptyUsage(): Usage {
  return { inputTokens: 0, outputTokens: 0, totalTokens: 0 };
}

/** Adds `delta` into `target` in place and returns `target`. Missing counts count as zero. */
export function addUsage(target: Usage, delta: Partial<Usage> | undefined): Usage {
  if (delta === undefined) return target;
  const input = delta.inputTokens ?? 0;
  const output = delta.outputTokens ?? 0;
  target.inputTokens += input;
  target.outputTokens += output;
  target.totalTokens += delta.totalTokens ?? input + output;
  return target;
}

/**
 * Normalizes a usage report from a role (possibly partial, possibly an AI SDK `LanguageModelUsage` with
 * `undefined` counts) into a complete {@link Usage}.
 */
export function normalizeUsage(usage: Partial<Record<keyof Usage, number | undefined>> | undefined): Usage {
  const input = finite(usage?.inputTokens);
  const output = finite(usage?.outputTokens);
  const total = usage?.totalTokens;
  return {
    inputTokens: input,
    outputTokens: output,
    totalTokens: Number.isFinite(total) ? (total as number) : input + output,
  };
}

function finite(value: number | undefined): number {
  return typeof value === "number" && Number.isFinite(value) ? value : 0;
}
