import { MockLanguageModelV4 } from "ai/test";
import { describe, expect, it } from "vitest";
import { isLanguageModel } from "./is-language-model.js";

describe("isLanguageModel", () => {
  it("accepts AI SDK model objects", () => {
    expect(isLanguageModel(new MockLanguageModelV4())).toBe(true);
    expect(isLanguageModel({ specificationVersion: "v3", doStream: () => {} })).toBe(true);
  });

  it("rejects roles, model id strings and look-alikes", () => {
    expect(isLanguageModel("openai/gpt-5")).toBe(false);
    expect(isLanguageModel({ run: () => {} })).toBe(false);
    expect(isLanguageModel({ plan: () => {} })).toBe(false);
    expect(isLanguageModel({ specificationVersion: "v4" })).toBe(false);
    expect(isLanguageModel({ specificationVersion: 4, doGenerate: () => {} })).toBe(false);
    expect(isLanguageModel(null)).toBe(false);
    expect(isLanguageModel(() => {})).toBe(false);
  });
});
