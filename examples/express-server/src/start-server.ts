import { once } from "node:events";
import type { AddressInfo } from "node:net";
import { createOrchestrator } from "@orchestrator-workers/core";
import { openStore, type SelectedModels } from "@orchestrator-workers/example-shared";
import { createExpressHandler } from "@orchestrator-workers/express";
import express from "express";
import { startRecoveryLoop } from "./recovery-loop.js";
import type { ServerConfig } from "./server-config.js";

/** The longest pause between two recovery passes, in milliseconds. */
const maxRecoveryIntervalMs = 5_000;

/** Options for {@link startServer}. */
export interface StartServerOptions {
  config: ServerConfig;
  models: SelectedModels;
  /** Where progress lines go. @default console.log */
  log?: (line: string) => void;
}

/** A server started by {@link startServer}. */
export interface RunningServer {
  /** The server's base URL, e.g. `http://localhost:8787`. */
  url: string;
  /** The runs resumed at start-up (accepted by a server that stopped before finishing them). */
  recovered: string[];
  /**
   * Stops gracefully: stops accepting connections, stops this process's runs and releases their leases (so
   * another instance, or this one restarted, resumes them at once), ends open event streams, closes the store.
   */
  close(): Promise<void>;
}

/**
 * Opens the store, creates the orchestrator, resumes the runs a previous server left unfinished, and serves
 * the HTTP API at the root (`POST /`, `GET /:id`, `GET /:id/events`, `POST /:id/cancel`, `GET /`), as the
 * original deployment did. Recovery is then retried every lease period (at least every 5 s), for the runs of
 * instances that stop or die later.
 */
export async function startServer(options: StartServerOptions): Promise<RunningServer> {
  const { config, models } = options;
  const log = options.log ?? console.log;
  const { store, close: closeStore } = await openStore(config.storeUrl);
  const orchestrator = createOrchestrator({
    orchestrator: models.orchestrator,
    worker: models.worker,
    store,
    leaseMs: config.leaseMs,
  });

  const recovered = await orchestrator.recover();
  log(
    recovered.length > 0
      ? `recovered ${recovered.length} unfinished run(s): ${recovered.join(", ")}`
      : "recovered no runs (none was left unfinished with an expired lease)",
  );
  const stopRecovery = startRecoveryLoop(orchestrator, {
    // A crashed server's runs are free once their lease expires; a stopped server's at once (it released them).
    intervalMs: Math.min(config.leaseMs, maxRecoveryIntervalMs),
    onResumed: (runIds) => log(`recovered ${runIds.length} run(s) of a stopped server: ${runIds.join(", ")}`),
    onError: (error) =>
      log(`recovery pass failed: ${error instanceof Error ? error.message : String(error)}`),
  });

  const app = express();
  app.disable("x-powered-by");
  app.use("/", createExpressHandler(orchestrator));
  const server = config.host === undefined ? app.listen(config.port) : app.listen(config.port, config.host);
  await once(server, "listening");
  const { port } = server.address() as AddressInfo;
  const host =
    config.host === undefined || config.host === "0.0.0.0" || config.host === "::"
      ? "localhost"
      : config.host;
  const url = `http://${host.includes(":") ? `[${host}]` : host}:${port}`;

  let closing: Promise<void> | undefined;
  const close = () => {
    closing ??= (async () => {
      stopRecovery();
      const closed = new Promise((resolve) => server.close(resolve));
      server.closeIdleConnections();
      await orchestrator.close();
      // Event streams stay open until their run ends: end them, clients reconnect with Last-Event-ID.
      server.closeAllConnections();
      await closed;
      await closeStore();
    })();
    return closing;
  };
  return { url, recovered, close };
}
