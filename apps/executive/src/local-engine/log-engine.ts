import type { LogEngine } from "@mina-local/engine";
import type { StateStore } from "../dsl/state-store.js";
import type { StateEvent } from "../network-state.js";

/**
 * The local engine's `Log_engine` (Mina's `Engine.Log_engine_intf`) over the bus feed: the
 * feed reads every event of the run from the bus's stream (JetStream, from the run's first
 * line) into Network_state; `eventReader` hands each event applied from the log engine's
 * creation on to its reader, in arrival order, as Mina's `event_reader` pipe does. A reader
 * that lags buffers (nothing is dropped); `destroy` ends every reader.
 */
export class LocalLogEngine implements LogEngine<StateEvent> {
  private readonly readers = new Set<{ push(event: StateEvent): void; end(): void }>();
  private readonly unsubscribe: () => void;
  private destroyed = false;

  private constructor(store: StateStore) {
    this.unsubscribe = store.subscribe((_state, event) => {
      for (const reader of this.readers) reader.push(event);
    });
  }

  /** Mina's `Log_engine.create ~network`: the bus feed is already reading (it starts with the log pipeline, before deploy) */
  static create(store: StateStore): LocalLogEngine {
    return new LocalLogEngine(store);
  }

  eventReader(signal?: AbortSignal): AsyncIterable<StateEvent> {
    const queue: StateEvent[] = [];
    let wake: (() => void) | undefined;
    let ended = this.destroyed || signal?.aborted === true;
    const readers = this.readers;
    const reader = {
      push: (event: StateEvent) => {
        if (ended) return;
        queue.push(event);
        wake?.();
      },
      end: () => {
        ended = true;
        readers.delete(reader);
        wake?.();
      },
    };
    if (!ended) this.readers.add(reader);
    const onAbort = () => reader.end();
    signal?.addEventListener("abort", onAbort, { once: true });
    return {
      async *[Symbol.asyncIterator]() {
        try {
          for (;;) {
            const next = queue.shift();
            if (next !== undefined) {
              yield next;
              continue;
            }
            if (ended) return;
            await new Promise<void>((resolve) => (wake = resolve));
            wake = undefined;
          }
        } finally {
          readers.delete(reader);
          signal?.removeEventListener("abort", onAbort);
        }
      },
    };
  }

  async destroy(): Promise<void> {
    this.destroyed = true;
    this.unsubscribe();
    for (const reader of [...this.readers]) reader.end();
    this.readers.clear();
  }
}
