/** A copy of `value` without its `undefined` properties (an empty object for `undefined`), for spreading. */
export function definedOnly<TValue extends object>(value: TValue | undefined): Partial<TValue> {
  const result: Partial<TValue> = {};
  if (typeof value !== "object" || value === null) return result;
  for (const [key, entry] of Object.entries(value))
    if (entry !== undefined) (result as Record<string, unknown>)[key] = entry;
  return result;
}
