import { type ChildProcess, fork } from "node:child_process";
import { once } from "node:events";

/** What one event stream received: `[seq, at, receivedAt]` per event (epoch ms), and how it ended. */
export interface SubscriberRecord {
  events: Array<[seq: number, at: number, receivedAt: number]>;
  /** The stream ended normally (the server closed it after `run-end`). */
  ended: boolean;
  /** The HTTP status of the stream. */
  status: number;
}

/** Messages to the client process. */
export type ClientCommand =
  | { type: "load"; url: string; durationMs: number; lanes: number }
  | { type: "subscribe"; url: string; runId: string; count: number }
  | { type: "exit" };

/** Messages from the client process. */
export type ClientReply =
  | { type: "ready" }
  | { type: "load-result"; pairs: number; failures: number; elapsedMs: number }
  | { type: "subscribed" }
  | { type: "stream-result"; subscribers: SubscriberRecord[] };

/** A forked client process driving HTTP load at a server of this process. */
export interface ClientProcess {
  /** POST + GET pairs on `lanes` connections for `durationMs`; answers how many succeeded and failed. */
  load(
    url: string,
    durationMs: number,
    lanes: number,
  ): Promise<Extract<ClientReply, { type: "load-result" }>>;
  /**
   * Opens `count` event streams of a run. `subscribed` resolves once each received its first event; `ended`
   * once every stream ended, with what each received.
   */
  subscribe(
    url: string,
    runId: string,
    count: number,
  ): { subscribed: Promise<void>; ended: Promise<SubscriberRecord[]> };
  close(): Promise<void>;
}

/** How long any one step may take before the benchmark gives up, in milliseconds. */
const stepTimeoutMs = 120_000;

/**
 * Forks `http-client-process.ts` (with this process's `execArgv`, so tsx loads it too) and waits until it is
 * ready. The benchmark process is then the server, measured alone.
 */
export async function startClientProcess(): Promise<ClientProcess> {
  const child: ChildProcess = fork(new URL("./http-client-process.ts", import.meta.url), [], {
    stdio: ["ignore", "inherit", "inherit", "ipc"],
  });
  const next = <TType extends ClientReply["type"]>(type: TType) =>
    new Promise<Extract<ClientReply, { type: TType }>>((resolve, reject) => {
      const settle = (error: Error | undefined, reply?: ClientReply) => {
        clearTimeout(timer);
        child.off("message", onMessage);
        child.off("exit", onExit);
        if (error) reject(error);
        else resolve(reply as Extract<ClientReply, { type: TType }>);
      };
      const timer = setTimeout(
        () => settle(new Error(`The HTTP bench client sent no ${type} in ${stepTimeoutMs} ms.`)),
        stepTimeoutMs,
      );
      const onMessage = (reply: ClientReply) => {
        if (reply.type === type) settle(undefined, reply);
      };
      const onExit = (code: number | null) =>
        settle(new Error(`The HTTP bench client exited (${code}) before sending ${type}.`));
      child.on("message", onMessage);
      child.on("exit", onExit);
    });
  const command = (message: ClientCommand) => child.send(message);
  await next("ready");
  return {
    load: (url, durationMs, lanes) => {
      const result = next("load-result");
      command({ type: "load", url, durationMs, lanes });
      return result;
    },
    subscribe: (url, runId, count) => {
      const subscribed = next("subscribed").then(() => undefined);
      const ended = next("stream-result").then((reply) => reply.subscribers);
      command({ type: "subscribe", url, runId, count });
      return { subscribed, ended };
    },
    close: async () => {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = once(child, "exit");
      command({ type: "exit" });
      const timer = setTimeout(() => child.kill("SIGKILL"), 5_000);
      await exited;
      clearTimeout(timer);
    },
  };
}
