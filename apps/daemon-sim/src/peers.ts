/** A peer as gossip knows it: its libp2p peer id, the address it was seen at, and its external port. */
export interface Peer {
  peerId: string;
  host: string;
  port: number;
  /** consecutive failed deliveries */
  failures: number;
  lastSeen: number;
}

/** Deliveries that may fail before a peer is forgotten (a stopped node is simply absent). */
const MAX_FAILURES = 3;

export class PeerTable {
  private readonly peers = new Map<string, Peer>();

  constructor(private readonly selfId: string) {}

  list(): Peer[] {
    return [...this.peers.values()];
  }

  get(peerId: string): Peer | undefined {
    return this.peers.get(peerId);
  }

  /** Records a peer that talked to us or that a peer told us about; returns true when it is new. */
  upsert(peerId: string, host: string, port: number, now = Date.now()): boolean {
    if (peerId === this.selfId) return false;
    const existing = this.peers.get(peerId);
    this.peers.set(peerId, { peerId, host, port, failures: 0, lastSeen: now });
    return !existing;
  }

  succeeded(peerId: string, now = Date.now()): void {
    const peer = this.peers.get(peerId);
    if (peer) this.peers.set(peerId, { ...peer, failures: 0, lastSeen: now });
  }

  /** Returns true when the peer was dropped. */
  failed(peerId: string): boolean {
    const peer = this.peers.get(peerId);
    if (!peer) return false;
    if (peer.failures + 1 >= MAX_FAILURES) {
      this.peers.delete(peerId);
      return true;
    }
    this.peers.set(peerId, { ...peer, failures: peer.failures + 1 });
    return false;
  }

  remove(peerId: string): void {
    this.peers.delete(peerId);
  }
}

export const peerUrl = (peer: { host: string; port: number }, path: string) => `http://${peer.host.includes(":") ? `[${peer.host}]` : peer.host}:${peer.port}${path}`;
