import { describe, expect, it } from "vitest";
import { fromLanguageModelUsage } from "./language-model-usage.js";

const details = {
  inputTokenDetails: { noCacheTokens: undefined, cacheReadTokens: undefined, cacheWriteTokens: undefined },
  outputTokenDetails: { textTokens: undefined, reasoningTokens: undefined },
};

describe("fromLanguageModelUsage", () => {
  it("keeps the reported counts and total", () => {
    expect(fromLanguageModelUsage({ ...details, inputTokens: 10, outputTokens: 5, totalTokens: 17 })).toEqual(
      {
        inputTokens: 10,
        outputTokens: 5,
        totalTokens: 17,
      },
    );
  });

  it("computes the total when the provider gave none", () => {
    expect(
      fromLanguageModelUsage({ ...details, inputTokens: 10, outputTokens: 5, totalTokens: undefined }),
    ).toEqual({ inputTokens: 10, outputTokens: 5, totalTokens: 15 });
  });

  it("counts missing counts and missing usage as zero", () => {
    expect(
      fromLanguageModelUsage({ ...details, inputTokens: undefined, outputTokens: 3, totalTokens: undefined }),
    ).toEqual({ inputTokens: 0, outputTokens: 3, totalTokens: 3 });
    expect(fromLanguageModelUsage(undefined)).toEqual({ inputTokens: 0, outputTokens: 0, totalTokens: 0 });
  });
});
