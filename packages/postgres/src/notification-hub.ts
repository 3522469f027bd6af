import type { PersistedRunEvent, StoreListener } from "@orchestrator-workers/core";
import type pg from "pg";

/** What {@link notificationHub} needs. */
export interface NotificationHubOptions {
  /** Where the dedicated LISTEN connection comes from. */
  pool: pg.Pool;
  /** The channel appends notify, with payload `<lastSeq>:<runId>`. */
  channel: string;
  /** Reads a run's stored events after a seq. */
  readEvents: (runId: string, after: number) => Promise<PersistedRunEvent[]>;
  /** Delay before retrying a lost connection or a failed read, in milliseconds. */
  retryMs: number;
}

interface Subscription {
  runId: string;
  after: number;
  listener: StoreListener;
  active: boolean;
  reading: boolean;
  readAgain: boolean;
}

/**
 * Push tailing over `LISTEN/NOTIFY`. One connection per store instance listens on the schema's channel while
 * there are subscriptions; a notification names a run and its new last seq, and each subscription of that run
 * reads what it has not seen yet from the table. Reads per subscription never overlap, so events arrive in
 * order and once. After a lost connection it reconnects and reads again, which covers notifications missed.
 */
export function notificationHub(options: NotificationHubOptions) {
  const subscriptions = new Map<string, Set<Subscription>>();
  let client: pg.PoolClient | undefined;
  let connecting = false;
  let retryTimer: ReturnType<typeof setTimeout> | undefined;
  let closed = false;

  const everySubscription = () => [...subscriptions.values()].flatMap((set) => [...set]);

  const read = async (subscription: Subscription): Promise<void> => {
    if (subscription.reading) {
      subscription.readAgain = true;
      return;
    }
    subscription.reading = true;
    try {
      do {
        subscription.readAgain = false;
        const events = await options.readEvents(subscription.runId, subscription.after);
        if (!subscription.active) return;
        const last = events[events.length - 1];
        if (last) {
          subscription.after = last.seq;
          deliver(subscription.listener, events);
        }
      } while (subscription.readAgain && subscription.active);
    } catch {
      // The store is unreachable: try again later; the subscription has no error channel to report to.
      if (subscription.active) setTimeout(() => void read(subscription), options.retryMs).unref();
    } finally {
      subscription.reading = false;
    }
  };

  const onNotification = (message: pg.Notification) => {
    if (message.channel !== options.channel || !message.payload) return;
    const separator = message.payload.indexOf(":");
    const lastSeq = Number(message.payload.slice(0, separator));
    const runId = message.payload.slice(separator + 1);
    for (const subscription of subscriptions.get(runId) ?? []) {
      if (lastSeq > subscription.after) void read(subscription);
    }
  };

  const disconnect = (error?: Error) => {
    const current = client;
    client = undefined;
    if (!current) return;
    current.removeListener("notification", onNotification);
    // Destroyed, not returned to the pool: nobody else should inherit a LISTEN.
    current.release(error ?? true);
  };

  const scheduleConnect = () => {
    if (closed || retryTimer || subscriptions.size === 0) return;
    retryTimer = setTimeout(() => {
      retryTimer = undefined;
      void connect();
    }, options.retryMs);
    retryTimer.unref();
  };

  const connect = async (): Promise<void> => {
    if (client || connecting || closed || subscriptions.size === 0) return;
    connecting = true;
    try {
      const next = await options.pool.connect();
      next.on("notification", onNotification);
      next.on("error", (error) => {
        if (client !== next) return;
        disconnect(error);
        scheduleConnect();
      });
      client = next;
      await next.query(`LISTEN "${options.channel}"`);
    } catch (error) {
      disconnect(error instanceof Error ? error : undefined);
      scheduleConnect();
      return;
    } finally {
      connecting = false;
    }
    if (subscriptions.size === 0 || closed) {
      disconnect();
      return;
    }
    // Whatever was appended before LISTEN took effect has not been notified to us: read it now.
    for (const subscription of everySubscription()) void read(subscription);
  };

  return {
    /** Starts pushing `runId`'s events with `seq > after` to `listener`; answers the function that stops it. */
    subscribe(runId: string, after: number, listener: StoreListener): () => void {
      const subscription: Subscription = {
        runId,
        after,
        listener,
        active: true,
        reading: false,
        readAgain: false,
      };
      let set = subscriptions.get(runId);
      if (!set) {
        set = new Set();
        subscriptions.set(runId, set);
      }
      set.add(subscription);
      if (client) void read(subscription);
      else void connect();
      return () => {
        subscription.active = false;
        set.delete(subscription);
        if (set.size === 0) subscriptions.delete(runId);
        if (subscriptions.size === 0) disconnect();
      };
    },

    /** Stops every subscription and gives the connection back. */
    close(): void {
      closed = true;
      for (const subscription of everySubscription()) subscription.active = false;
      subscriptions.clear();
      if (retryTimer) clearTimeout(retryTimer);
      disconnect();
    },
  };
}

/** Calls a listener; its errors are its own and must not stop the subscription. */
function deliver(listener: StoreListener, events: PersistedRunEvent[]): void {
  try {
    listener(events);
  } catch (error) {
    queueMicrotask(() => {
      throw error;
    });
  }
}
