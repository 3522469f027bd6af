/**
 * Removes one query parameter that is ours, not the driver's (`keyPrefix`, `schema`), from a connection URL,
 * and answers the URL without it plus the parameter's value.
 */
export function takeParameter(url: string, name: string): { connection: string; option: string | undefined } {
  const parsed = new URL(url);
  const option = parsed.searchParams.get(name) ?? undefined;
  if (option === undefined) return { connection: url, option };
  parsed.searchParams.delete(name);
  return { connection: parsed.toString(), option };
}
