import { applyEvent, emptyNetworkState, type NetworkState, type StateEvent } from "../network-state.js";

type Listener = (state: NetworkState, event: StateEvent) => void;

/** Holds Network_state and tells waiters of every change. */
export class StateStore {
  private current: NetworkState = emptyNetworkState();
  private readonly listeners = new Set<Listener>();

  get state(): NetworkState {
    return this.current;
  }

  apply(event: StateEvent): void {
    this.current = applyEvent(this.current, event);
    for (const listener of [...this.listeners]) listener(this.current, event);
  }

  subscribe(listener: Listener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}
