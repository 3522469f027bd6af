/** The routes of the HTTP API, relative to the base path. */
export type RouteName = "runs" | "run" | "run-events" | "run-cancel";

/** A request path matched to a route. */
export interface RouteMatch {
  /** Which route. */
  name: RouteName;
  /** The run id in the path, for every route but `runs`; not yet validated. */
  id?: string;
  /** The methods the route answers, for `405` and `Allow`. */
  methods: readonly string[];
}

const methodsByRoute: Readonly<Record<RouteName, readonly string[]>> = {
  runs: ["GET", "POST"],
  run: ["GET"],
  "run-events": ["GET"],
  "run-cancel": ["POST"],
};

const runIdPattern = /^[A-Za-z0-9_][A-Za-z0-9_.:-]{0,127}$/;

/**
 * Matches a URL path against the API's routes under `basePath`: `/`, `/:id`, `/:id/events`, `/:id/cancel`
 * (a trailing slash is tolerated). Answers `undefined` for any other path.
 */
export function matchRoute(pathname: string, basePath: string): RouteMatch | undefined {
  if (pathname !== basePath && !pathname.startsWith(`${basePath}/`)) return undefined;
  const rest = pathname.slice(basePath.length).replace(/\/$/, "");
  if (rest === "") return { name: "runs", methods: methodsByRoute.runs };
  const [, id, action, ...extra] = rest.split("/");
  if (id === undefined || id === "" || extra.length > 0) return undefined;
  const name: RouteName | undefined =
    action === undefined
      ? "run"
      : action === "events"
        ? "run-events"
        : action === "cancel"
          ? "run-cancel"
          : undefined;
  return name === undefined ? undefined : { name, id, methods: methodsByRoute[name] };
}

/**
 * Whether a path segment can be a run id: 1 to 128 characters of letters, digits and `_ . : -`, not starting
 * with a punctuation mark other than `_`. UUIDs and Workflows instance ids qualify; anything else is a 404
 * without touching the store.
 */
export function isValidRunId(id: string): boolean {
  return runIdPattern.test(id);
}
