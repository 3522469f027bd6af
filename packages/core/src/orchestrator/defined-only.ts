/** A copy of `value` without its `undefined` properties (an empty object for `undefined`), for spreading. */
export function definedOnly<TValue extends object>(value: TValue | undefined): Partial<TValue> {
  const result: Partial<TValue> = {};
  if (typeof value !== "object" || value === null) return result;
  // for...in with an own-property check: no array of entries per call (this runs for every run's options).
  for (const key in value) {
    if (!Object.hasOwn(value, key)) continue;
    const entry = value[key];
    if (entry !== undefined) result[key] = entry;
  }
  return result;
}
