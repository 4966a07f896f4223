import type { StateEvent } from "../network-state.js";
import { TestAborted, TestFailure } from "./errors.js";
import type { StateStore } from "./state-store.js";

/** What a handler returns: go on listening, or stop the subscription with a value (Mina's `Continue / `Stop). */
export type HandlerResult<T> = "continue" | { stop: T };

export interface EventSubscription<T> {
  /** resolves with the value of the handler's `{ stop }` (Mina's Event_router.await); rejects on abort */
  readonly done: Promise<T>;
  /** stops listening; `done` rejects with a TestAborted naming why */
  cancel(reason?: string): void;
}

/**
 * Mina's event_router.ml over our bus: `on` an event type (on every node, or one) calls the
 * handler for each event of that type that arrives from now on, until it returns `{ stop }`
 * or is cancelled; `await` waits for that value, `awaitWithTimeout` with a bound (a hard
 * error when it passes, as Mina's await_with_timeout cancels with the caller's value).
 */
export class EventRouter {
  constructor(
    private readonly store: StateStore,
    private readonly signal: AbortSignal,
  ) {}

  on<T>(eventType: string, handler: (node: string, data: Record<string, unknown>, event: StateEvent) => HandlerResult<T>, options: { node?: string } = {}): EventSubscription<T> {
    let settle: { resolve: (value: T) => void; reject: (error: Error) => void } | undefined;
    const done = new Promise<T>((resolve, reject) => {
      settle = { resolve, reject };
    });
    // a caller that never awaits must not see an unhandled rejection when it cancels
    done.catch(() => {});
    let active = true;
    const stop = () => {
      active = false;
      unsubscribe();
      this.signal.removeEventListener("abort", onAbort);
    };
    const unsubscribe = this.store.subscribe((_state, event) => {
      if (!active || event.type !== eventType || (options.node !== undefined && event.node !== options.node)) return;
      let result: HandlerResult<T>;
      try {
        result = handler(event.node, event.data, event);
      } catch (error) {
        stop();
        settle?.reject(error instanceof Error ? error : new Error(String(error)));
        return;
      }
      if (result !== "continue") {
        stop();
        settle?.resolve(result.stop);
      }
    });
    const onAbort = () => {
      stop();
      settle?.reject(new TestAborted(String(this.signal.reason ?? "aborted")));
    };
    this.signal.addEventListener("abort", onAbort, { once: true });
    if (this.signal.aborted) onAbort();
    return {
      done,
      cancel: (reason = "cancelled") => {
        if (!active) return;
        stop();
        settle?.reject(new TestAborted(reason));
      },
    };
  }

  await<T>(subscription: EventSubscription<T>): Promise<T> {
    return subscription.done;
  }

  /** `await` with a bound: past `timeoutMs` the subscription is cancelled and a hard error names what was awaited */
  awaitWithTimeout<T>(subscription: EventSubscription<T>, timeoutMs: number, what: string): Promise<T> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_resolve, reject) => {
      timer = setTimeout(() => {
        // the hard error first: the race settles with it, not with the cancellation
        reject(new TestFailure(`timed out after ${timeoutMs} ms waiting for ${what}`));
        subscription.cancel(`timed out after ${timeoutMs} ms waiting for ${what}`);
      }, timeoutMs);
    });
    return Promise.race([subscription.done, timeout]).finally(() => clearTimeout(timer));
  }
}
