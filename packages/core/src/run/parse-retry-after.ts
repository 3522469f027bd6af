/**
 * Reads how long a provider asked us to wait from its response headers, in milliseconds: `retry-after-ms`
 * (milliseconds) first, then `retry-after` (seconds, or an HTTP date). Header names match case-insensitively.
 * Returns `undefined` when neither header is present or parseable; a date in the past gives `0`.
 */
export function parseRetryAfter(
  headers: Readonly<Record<string, string>> | undefined,
  now: number = Date.now(),
): number | undefined {
  if (headers === undefined) return undefined;
  const milliseconds = parseNumber(findHeader(headers, "retry-after-ms"));
  if (milliseconds !== undefined) return milliseconds;
  const retryAfter = findHeader(headers, "retry-after");
  if (retryAfter === undefined) return undefined;
  const seconds = parseNumber(retryAfter);
  if (seconds !== undefined) return seconds * 1000;
  const date = Date.parse(retryAfter);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

function findHeader(headers: Readonly<Record<string, string>>, name: string): string | undefined {
  const exact = headers[name];
  if (exact !== undefined) return exact;
  for (const [key, value] of Object.entries(headers)) {
    if (key.toLowerCase() === name) return value;
  }
  return undefined;
}

/** A non-negative finite number written as plain decimal digits; anything else (dates included) is undefined. */
function parseNumber(value: string | undefined): number | undefined {
  if (value === undefined || !/^\s*\d+(\.\d+)?\s*$/.test(value)) return undefined;
  return Number(value);
}
