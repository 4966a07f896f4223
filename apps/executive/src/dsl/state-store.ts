import { applyEvent, emptyNetworkState, logErrorOf, type LogErrorEntry, type NetworkState, type StateEvent } from "../network-state.js";

type Listener = (state: NetworkState, event: StateEvent) => void;

/** Holds Network_state and tells waiters of every change; keeps every node's log errors beside it. */
export class StateStore {
  private current: NetworkState = emptyNetworkState();
  private readonly listeners = new Set<Listener>();
  /** every Warn / Faulty_peer / Error / Fatal line of every node, from its first line, in arrival order */
  readonly logErrors: LogErrorEntry[] = [];

  get state(): NetworkState {
    return this.current;
  }

  apply(event: StateEvent): void {
    const logError = logErrorOf(event);
    if (logError) this.logErrors.push(logError);
    this.current = applyEvent(this.current, event);
    for (const listener of [...this.listeners]) listener(this.current, event);
  }

  subscribe(listener: Listener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}
