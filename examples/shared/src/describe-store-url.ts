/**
 * A store URL safe to print: the password of a `redis://user:secret@host` or `postgres://…` URL becomes `***`.
 * Anything that does not parse as a URL with credentials is returned unchanged.
 */
export function describeStoreUrl(url: string): string {
  if (!/^[a-z][a-z0-9+.-]*:\/\//i.test(url)) return url;
  try {
    const parsed = new URL(url);
    if (parsed.password === "") return url;
    parsed.password = "***";
    return parsed.toString();
  } catch {
    return url.replace(/\/\/[^@/]*@/, "//***@");
  }
}
