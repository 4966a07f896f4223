import http from "node:http";
import os from "node:os";
import { blockFromWire, blockToWire, buildBlock, epochDataFor, epochOf, genesisNode, stakeOf, type Block, type BlockWire, type ChainNode, type CompletedWork } from "./block.js";
import { ArchiveClient } from "./archive/client.js";
import { archiveBlockOf } from "./archive/from-chain.js";
import type { DaemonOptions, PeerAddress } from "./cli.js";
import { parsePeerAddress } from "./cli.js";
import { shouldBootstrap } from "./bootstrap-rule.js";
import { currentGlobalSlot, slotTime, type Genesis } from "./genesis.js";
import { closeServer, destroyAgent, getJson, listen, postJson, readBody, remoteHost, sendJson } from "./http.js";
import type { MinaKeypair } from "./keys.js";
import type { Logger } from "./log.js";
import { DaemonMetrics } from "./metrics.js";
import { runLottery } from "./lottery.js";
import { Frontier, frontierFromSnapshot, FrontierSnapshotSchema, type AddResult } from "./frontier.js";
import { PeerTable, peerUrl, type Peer } from "./peers.js";
import { clearPersistedFrontier, loadPersistedFrontier, persistFrontier } from "./persistence.js";
import { BestChainSchema, BestTipSchema, BlockGossipSchema, HelloReplySchema, HelloSchema, PROTOCOL_PREFIX, SnarkWorkGossipSchema, SubmitWorkSchema, TransactionsGossipSchema } from "./protocol.js";
import { canComplete, openWorkIds } from "./scan-state.js";
import { EVENTS, LINES } from "./mina-sites.js";
import { poolRefusesAt, producesEmptyDiff, reachedSlotChainEnd } from "./stop-slots.js";
import {
  breadcrumbJson,
  blockJson,
  compactSnarkWorkJson,
  newStateMessageJson,
  remoteSender,
  snarkPoolDiffMessageJson,
  transactionPoolDiffMessageJson,
  userCommandJson,
  withStatusJson,
  type Sender,
} from "./mina-json.js";
import { commandFromWire, commandToWire, type SignedCommand } from "./transaction.js";
import { TransactionPool } from "./txpool.js";
import { refusalMessage, ZkappPool } from "./zkapp/pool.js";
import { loadZkappLogicFor, selectUserCommands, ZkappGossipSchema, zkappCommandsWithStatusJson } from "./zkapp/node.js";
import type { ZkappCommandRecord } from "./zkapp/record.js";
import type { z } from "zod";

export type SyncStatus = "CONNECTING" | "LISTENING" | "OFFLINE" | "BOOTSTRAP" | "SYNCED" | "CATCHUP";

/** Mina_lib's sync status events (mina_lib.ml:499-523), one per change of status. */
const SYNC_STATUS_EVENTS = {
  CONNECTING: EVENTS.connecting,
  LISTENING: EVENTS.listening,
  BOOTSTRAP: EVENTS.bootstrapping,
  CATCHUP: EVENTS.ledgerCatchup,
  SYNCED: EVENTS.synced,
} as const;

const SIM_FILE = "daemon.ts";

/**
 * One simulated Mina node: frontier, pools, peers and the timers that drive them. The pure
 * parts (ledger, blocks, frontier, pool) live in their own modules; this class is the shell
 * that does the I/O and writes the log lines the test executive waits on.
 */
export class Daemon {
  frontier: Frontier | undefined;
  readonly pool: TransactionPool;
  /** zkApp commands (zkapp/): a pool of their own, applied after a block's signed commands */
  readonly zkappPool = new ZkappPool();
  /** completed snark work by its work ids ("3,4") */
  readonly snarkPool = new Map<string, CompletedWork>();
  readonly peers: PeerTable;
  readonly startedAt = Date.now();
  highestBlockLengthReceived = 1;
  private status: SyncStatus = "CONNECTING";
  userCommandsSent = 0;
  readonly metrics = new DaemonMetrics();
  readonly unlocked = new Map<string, string>();
  readonly seedPeers: PeerAddress[];
  private readonly servers: http.Server[] = [];
  private readonly timers = new Set<NodeJS.Timeout>();
  private readonly seenGossip = new Set<string>();
  private readonly assignedWork = new Map<string, number>();
  private stopping = false;
  private syncing = false;
  /** the best tip the transaction pool last followed (to find the blocks a reorg removed) */
  private poolTip: string | undefined;
  /** per peer, the last ordered message on its way (see `broadcast`) */
  private readonly orderedSends = new Map<string, Promise<void>>();
  /** -archive-address: where every block added to the frontier goes */
  private readonly archive: ArchiveClient | undefined;

  constructor(
    readonly options: DaemonOptions,
    readonly genesis: Genesis,
    readonly logger: Logger,
    readonly peerId: string,
    readonly producerKey: MinaKeypair | undefined,
  ) {
    this.pool = new TransactionPool(genesis.txpoolMaxSize);
    this.peers = new PeerTable(peerId);
    this.seedPeers = options.peers.map((p) => parsePeerAddress(p)).filter((p): p is PeerAddress => p !== undefined);
    if (options.archiveAddress !== undefined) {
      this.archive = ArchiveClient.fromAddress(options.archiveAddress, {
        debug: (message, metadata) => logger.sim("archive/client.ts", "Debug", message, metadata),
        warn: (message, metadata) => logger.sim("archive/client.ts", "Warn", message, metadata),
      });
    }
  }

  get syncStatus(): SyncStatus {
    return this.status;
  }

  set syncStatus(status: SyncStatus) {
    if (status === this.status) return;
    this.status = status;
    if (status !== "OFFLINE") this.logger.event(SYNC_STATUS_EVENTS[status]);
  }

  get synced(): boolean {
    return this.frontier !== undefined && (this.syncStatus === "SYNCED" || this.syncStatus === "CATCHUP");
  }

  currentSlot(now = Date.now()): number {
    return currentGlobalSlot(this.genesis, now);
  }

  // ---------------------------------------------------------------- lifecycle

  async start(graphqlHandler: http.RequestListener): Promise<void> {
    const { options, logger } = this;
    logger.event(EVENTS.connecting);
    const external = http.createServer((req, res) => void this.handleExternal(req, res));
    const client = http.createServer((req, res) => void this.handleClient(req, res));
    const graphql = http.createServer(graphqlHandler);
    const graphqlHost = options.insecureRestServer ? "0.0.0.0" : "127.0.0.1";
    await listen(external, options.externalPort, "0.0.0.0");
    await listen(client, options.clientPort, "0.0.0.0");
    await listen(graphql, options.restPort, graphqlHost);
    this.servers.push(external, client, graphql);
    // gossip_net/libp2p.ml: once the network runs, every line names the node
    logger.appendGlobalMetadata({ host: options.externalIp ?? externalAddress(), peer_id: this.peerId, port: options.externalPort });
    logger.sim(SIM_FILE, "Info", "Gossip and sync (HTTP, the simulator's protocol in place of libp2p) listening on port $port", { port: options.externalPort });
    logger.line(LINES.createdGraphqlServer, {}, `Created GraphQL server at: http://localhost:${options.restPort}/graphql`);
    logger.line(LINES.daemonReady);
    this.syncStatus = "LISTENING";
    logger.line(LINES.initializingTransitionRouter);
    this.syncStatus = "BOOTSTRAP";
    const loadedFromDisk = await this.loadFrontier();
    logger.line(LINES.successfullyLoadedFrontier);

    await this.discoverPeers(true);
    await this.initialSync(loadedFromDisk);
    if (this.stopping) return;
    this.startTransitionFrontierController();
    this.every(5000, () => void this.discoverPeers(false));
    this.scheduleSlot();
  }

  /** Transition_frontier.load_with_max_length's path, with its events, for what the config directory holds. */
  private async loadFrontier(): Promise<boolean> {
    const { options, logger } = this;
    const persisted = await loadPersistedFrontier(options.configDirectory);
    const loaded = () => {
      logger.line(LINES.fastForwardSuccessful);
      logger.event(EVENTS.persistedFrontierLoaded);
      logger.event(EVENTS.transitionFrontierLoadedFromPersistence);
    };
    // reset_and_continue: the instance is dropped, the database reset to genesis, then loaded
    const resetToGenesis = () => {
      logger.event(EVENTS.persistedFrontierDroppedOnReset);
      this.frontier = new Frontier(this.genesis, genesisNode(this.genesis));
      loaded();
    };
    if (persisted.status === "found") {
      await loadZkappLogicFor(persisted.snapshot.blocks);
      const rebuilt = frontierFromSnapshot(this.genesis, persisted.snapshot);
      if (rebuilt.ok) {
        this.frontier = rebuilt.frontier;
        loaded();
        return true;
      }
      if (persisted.snapshot.chainId !== this.genesis.genesisStateHash) {
        logger.line(LINES.genesisStateMismatch, { persisted_state_hash: persisted.snapshot.chainId, precomputed_state_hash: this.genesis.genesisStateHash });
      } else {
        this.logCorruptFrontier(`${options.configDirectory}: ${rebuilt.error}`);
        logger.event(EVENTS.persistedFrontierFreshBoot);
      }
      await clearPersistedFrontier(options.configDirectory);
      resetToGenesis();
      return false;
    }
    if (persisted.status === "invalid") {
      this.logCorruptFrontier(persisted.error);
      await clearPersistedFrontier(options.configDirectory);
    }
    logger.event(EVENTS.persistedFrontierFreshBoot);
    resetToGenesis();
    return false;
  }

  /** A database that cannot be read: Mina logs the error, destroys it and retries with a fresh one. */
  private logCorruptFrontier(reason: string): void {
    // the message is Mina's formatted "%s"; a "$" in it would make Mina's logger reject the line
    this.logger.line(LINES.frontierDatabaseCorrupt, {}, `Persistent frontier database is corrupt: ${reason.replaceAll("$", ".")}`);
    this.logger.line(LINES.destroyingOldFrontierDatabase);
    this.logger.event(EVENTS.persistedFrontierDroppedCorrupt);
  }

  /** transition_router.ml's start_transition_frontier_controller. */
  private startTransitionFrontierController(): void {
    this.logger.event(EVENTS.startingTransitionFrontierController);
    this.syncStatus = "SYNCED";
  }

  async stop(): Promise<void> {
    if (this.stopping) return;
    this.stopping = true;
    this.archive?.close();
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
    if (this.frontier) {
      try {
        await persistFrontier(this.options.configDirectory, this.frontier.toSnapshot());
        this.logger.line(LINES.closingTransitionFrontier);
      } catch (error) {
        this.logger.sim(SIM_FILE, "Error", "Could not persist the transition frontier to $dir: $error", { dir: this.options.configDirectory, error: String(error) });
      }
    }
    await Promise.all(this.servers.map(closeServer));
    destroyAgent();
  }

  private every(ms: number, work: () => void): void {
    const timer = setInterval(work, ms);
    timer.unref();
    this.timers.add(timer);
  }

  /** Work for later that stop() cancels (sendTestPayments' repeats). */
  later(ms: number, work: () => void): void {
    this.after(ms, work);
  }

  private after(ms: number, work: () => void): void {
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      work();
    }, ms);
    this.timers.add(timer);
  }

  // ---------------------------------------------------------------- peers

  private sender(): { peerId: string; port: number } {
    return { peerId: this.peerId, port: this.options.externalPort };
  }

  /** Says hello to the seed peers (and to what they know); on the first round, waits a little for a seed that is still starting. */
  async discoverPeers(firstRound: boolean): Promise<void> {
    const targets: { host: string; port: number; peerId?: string }[] = [...this.seedPeers, ...this.peers.list()];
    const seen = new Set<string>();
    const attempts = firstRound ? 8 : 1;
    for (const target of targets) {
      const key = `${target.host}:${target.port}`;
      if (seen.has(key)) continue;
      seen.add(key);
      for (let attempt = 0; attempt < attempts && !this.stopping; attempt++) {
        try {
          const reply = HelloReplySchema.parse(await postJson(peerUrl(target, `${PROTOCOL_PREFIX}/hello`), { chainId: this.genesis.genesisStateHash, from: this.sender() }, 2000));
          if (reply.chainId !== this.genesis.genesisStateHash) {
            this.logger.sim(SIM_FILE, "Warn", "Peer $peer is on another chain ($chain_id): ignoring it", { peer: key, chain_id: reply.chainId });
            break;
          }
          if (this.peers.upsert(reply.peerId, target.host, target.port)) {
            this.logger.sim(SIM_FILE, "Info", "Connected to peer $peer_id at $host:$port", { peer_id: reply.peerId, host: target.host, port: target.port });
          } else this.peers.succeeded(reply.peerId);
          for (const peer of reply.peers) {
            if (peer.peerId === this.peerId) continue;
            if (!this.peers.get(peer.peerId) && !seen.has(`${peer.host}:${peer.port}`)) targets.push(peer);
          }
          break;
        } catch (error) {
          if (target.peerId && this.peers.get(target.peerId) && this.peers.failed(target.peerId)) {
            this.logger.sim(SIM_FILE, "Info", "Peer $peer_id is unreachable: disconnected", { peer_id: target.peerId });
          } else {
            this.logger.sim(SIM_FILE, "Debug", "Could not reach peer $peer: $error", { peer: key, error: (error as Error).message });
          }
          if (attempt + 1 < attempts) await delay(500);
        }
      }
    }
  }

  /**
   * Sends to every peer but `except`. `ordered` messages reach each peer in the order they
   * were sent, as on one libp2p stream: a pool refuses a nonce before its predecessor, so
   * transactions of one sender must not overtake each other on the way.
   */
  private async broadcast(path: string, body: unknown, except?: string, ordered = false): Promise<void> {
    await Promise.all(
      this.peers
        .list()
        .filter((peer) => peer.peerId !== except)
        .map((peer) => {
          const send = async () => {
            try {
              await postJson(peerUrl(peer, `${PROTOCOL_PREFIX}${path}`), body, 3000);
              this.peers.succeeded(peer.peerId);
            } catch (error) {
              if (this.peers.failed(peer.peerId)) this.logger.sim(SIM_FILE, "Info", "Peer $peer_id is unreachable: disconnected", { peer_id: peer.peerId });
              else this.logger.sim(SIM_FILE, "Debug", "Gossip to $peer_id failed: $error", { peer_id: peer.peerId, error: (error as Error).message });
            }
          };
          if (!ordered) return send();
          const next = (this.orderedSends.get(peer.peerId) ?? Promise.resolve()).then(send);
          this.orderedSends.set(peer.peerId, next);
          return next;
        }),
    );
  }

  private senderInfo(peerId: string, host: string, port: number): Sender {
    return remoteSender(host, peerId, port);
  }

  // ---------------------------------------------------------------- sync

  private async bestPeer(): Promise<{ peer: Peer; tip: z.infer<typeof BestTipSchema> } | undefined> {
    let best: { peer: Peer; tip: z.infer<typeof BestTipSchema> } | undefined;
    for (const peer of this.peers.list()) {
      try {
        const tip = BestTipSchema.parse(await getJson(peerUrl(peer, `${PROTOCOL_PREFIX}/best-tip`), 3000));
        if (!best || tip.height > best.tip.height) best = { peer, tip };
      } catch (error) {
        this.logger.sim(SIM_FILE, "Debug", "Could not get the best tip of $peer_id: $error", { peer_id: peer.peerId, error: (error as Error).message });
      }
    }
    return best;
  }

  private async initialSync(loadedFromDisk: boolean): Promise<void> {
    const frontier = this.frontier as Frontier;
    const best = await this.bestPeer();
    if (!best) {
      this.logger.line(LINES.noBestTipFromNetwork);
      return;
    }
    const own = frontier.best.block.height;
    const { k, delta } = this.genesis;
    const sync = {
      ownBestHeight: own,
      ownRootHeight: frontier.root.block.height,
      candidateHeight: best.tip.height,
      candidateRootHeight: best.tip.rootHeight,
      candidateRootKnown: frontier.has(best.tip.rootHash),
      k,
      delta,
    };
    if (shouldBootstrap(sync)) {
      this.logger.line(LINES.bestTipTooNew, { length: best.tip.height });
      this.logger.line(LINES.closingTransitionFrontier);
      await this.bootstrap(best.peer);
      return;
    }
    this.logger.line(LINES.bestTipRecentEnough, { length: best.tip.height });
    if (best.tip.height > own || loadedFromDisk) await this.catchup(best.peer, "start");
  }

  /** transition_router.ml's start_bootstrap_controller, then bootstrap_controller.ml; the frontier is loaded again when it is done. */
  private async bootstrap(peer: Peer): Promise<void> {
    this.logger.event(EVENTS.startingBootstrapController);
    this.logger.line(LINES.startingBootstrapControllerPhase);
    this.syncStatus = "BOOTSTRAP";
    for (let attempt = 0; attempt < 5 && !this.stopping; attempt++) {
      try {
        const snapshot = FrontierSnapshotSchema.parse(await getJson(peerUrl(peer, `${PROTOCOL_PREFIX}/frontier`), 15_000));
        await loadZkappLogicFor(snapshot.blocks);
        const rebuilt = frontierFromSnapshot(this.genesis, snapshot);
        if (!rebuilt.ok) throw new Error(rebuilt.error);
        this.frontier = rebuilt.frontier;
        this.pool.revalidate(rebuilt.frontier.best.ledger, this.currentSlot());
        this.pruneSnarkPool();
        // "Close the old frontier and reload a new one from disk" (bootstrap_controller.ml)
        this.logger.line(LINES.fastForwardSuccessful);
        this.logger.event(EVENTS.persistedFrontierLoaded);
        this.logger.event(EVENTS.transitionFrontierLoadedFromPersistence);
        this.logger.event(EVENTS.bootstrapComplete);
        return;
      } catch (error) {
        this.logger.sim(SIM_FILE, "Info", "Bootstrap from $peer_id failed ($error): retrying", { peer_id: peer.peerId, error: (error as Error).message });
        await delay(1000);
      }
    }
    this.logger.sim(SIM_FILE, "Error", "Bootstrap from $peer_id failed five times: continuing with our own frontier", { peer_id: peer.peerId });
  }

  /** Fetches the peer's best chain and applies the blocks we miss; bootstraps when they do not connect to our frontier. */
  private async catchup(peer: Peer, reason: "start" | "gossip"): Promise<void> {
    if (this.syncing) return;
    this.syncing = true;
    const before = this.syncStatus;
    if (reason === "gossip") this.syncStatus = "CATCHUP";
    try {
      const chain = BestChainSchema.parse(await getJson(peerUrl(peer, `${PROTOCOL_PREFIX}/best-chain`), 10_000));
      const frontier = this.frontier as Frontier;
      let count = 0;
      await loadZkappLogicFor(chain.blocks);
      for (const wire of chain.blocks) {
        if (frontier.has(wire.stateHash) || wire.height <= frontier.root.block.height) continue;
        const block = blockFromWire(wire);
        if (!block) throw new Error(`block ${wire.stateHash} carries an invalid signed command`);
        const result = this.addToFrontier((f) => f.add(block));
        if (result.status === "missing-parent") {
          const tip = chain.blocks[chain.blocks.length - 1];
          this.syncing = false;
          this.logger.line(LINES.bestTipTooNew, { length: tip?.height ?? wire.height });
          this.logger.line(LINES.closingTransitionFrontier);
          await this.bootstrap(peer);
          if (!this.stopping) this.startTransitionFrontierController();
          return;
        }
        if (result.status === "invalid") throw new Error(`block ${wire.stateHash}: ${result.error}`);
        if (result.status === "added") count++;
      }
      this.logger.sim(SIM_FILE, "Debug", "Catchup from $peer_id added $count blocks", { peer_id: peer.peerId, count });
    } catch (error) {
      this.logger.sim(SIM_FILE, "Info", "Catchup from $peer_id failed: $error", { peer_id: peer.peerId, error: (error as Error).message });
    } finally {
      this.syncing = false;
      if (this.syncStatus === "CATCHUP") this.syncStatus = before === "CATCHUP" ? "SYNCED" : before;
    }
  }

  // ---------------------------------------------------------------- frontier events

  /**
   * Adds a block to the frontier as Transition_frontier.add_breadcrumb_exn logs it: PRE, Applying_diffs,
   * POST (with the best tip and the breadcrumb count), then Added_breadcrumb_user_commands.
   */
  private addToFrontier(add: (frontier: Frontier) => AddResult): AddResult {
    const frontier = this.frontier as Frontier;
    const pre = { state_hash: frontier.bestHash, n: frontier.nodes.size };
    const result = add(frontier);
    if (result.status !== "added") return result;
    this.logger.line(LINES.preApplyingDiffs, pre);
    this.logger.event(EVENTS.applyingDiffs, { diffs: result.diffs });
    this.logger.line(LINES.postApplyingDiffs, { state_hash: frontier.bestHash, n: frontier.nodes.size });
    this.afterAdd(result);
    return result;
  }

  /** Logs what a frontier change means and updates the pools. */
  private afterAdd(result: Extract<AddResult, { status: "added" }>): void {
    const { node } = result;
    this.archive?.send(archiveBlockOf(this.genesis, node));
    this.logger.event(
      EVENTS.addedBreadcrumbUserCommands,
      {},
      {
        state_hash: node.block.stateHash,
        user_commands: [...node.block.commands.map((command, i) => withStatusJson(command, node.statuses[i])), ...zkappCommandsWithStatusJson(node)],
      },
    );
    if (this.options.logPrecomputedBlocks) {
      // Precomputed_block.to_yojson's first fields; the proof, the diff and the accounts are not simulated
      const precomputed = { scheduled_time: String(node.block.timestamp), protocol_state: (blockJson(this.genesis, node) as { protocol_state: unknown }).protocol_state };
      this.logger.line(LINES.sawBlock, { state_hash: node.block.stateHash, precomputed_block: precomputed });
    }
    if (result.bestTipChanged) {
      const frontier = this.frontier as Frontier;
      // Mina's order (transaction_pool.ml handle_transition_frontier_diff): the reorg's commands back, then revalidate
      this.takeBackOrphanedCommands(frontier);
      this.pool.revalidate(frontier.best.ledger, this.currentSlot());
      this.zkappPool.revalidate(frontier.best.ledger, { globalSlot: this.currentSlot(), blockchainLength: frontier.best.block.height + 1, accountCreationFee: this.genesis.accountCreationFee });
      this.pruneSnarkPool();
    }
  }

  /** After a reorg, the commands of the blocks that left the best chain go back to the pool (Mina's pool does the same). */
  private takeBackOrphanedCommands(frontier: Frontier): void {
    const previous = this.poolTip;
    this.poolTip = frontier.bestHash;
    if (!previous || !frontier.has(previous)) return;
    const onBestChain = new Set(frontier.path().map((n) => n.block.stateHash));
    const orphaned = frontier.path(previous).filter((n) => !onBestChain.has(n.block.stateHash));
    const commands = orphaned.flatMap((n) => n.block.commands);
    if (commands.length === 0) return;
    const taken = this.pool.takeBack(frontier.best.ledger, commands, this.currentSlot());
    this.logger.sim(SIM_FILE, "Debug", "Reorg: took back $count commands from $blocks blocks that left the best chain", {
      count: taken.length,
      blocks: orphaned.length,
    });
  }

  private pruneSnarkPool(): void {
    const frontier = this.frontier;
    if (!frontier) return;
    const open = new Set(openWorkIds(frontier.best.scan));
    for (const [key, work] of this.snarkPool) if (!work.workIds.every((id) => open.has(id))) this.snarkPool.delete(key);
  }

  // ---------------------------------------------------------------- block production

  private scheduleSlot(): void {
    if (this.stopping) return;
    const now = Date.now();
    const next = this.currentSlot(now) + (now < this.genesis.genesisTimestamp ? 0 : 1);
    const at = slotTime(this.genesis, next).startTime;
    // a little after the slot starts, so that clocks a few ms apart agree on the slot
    this.after(Math.max(0, at - now) + 25, () => {
      this.onSlot(this.currentSlot());
      this.scheduleSlot();
    });
  }

  private onSlot(globalSlot: number): void {
    const frontier = this.frontier;
    if (!frontier || !this.producerKey || !this.synced) return;
    const producer = this.producerKey.publicKey;
    const parent = frontier.best;
    if (parent.block.globalSlot >= globalSlot) return;
    const epochData = epochDataFor(parent, epochOf(this.genesis, globalSlot));
    const stake = stakeOf(epochData, producer);
    const lottery = runLottery(epochData.seed, globalSlot, producer, stake, epochData.distribution.total);
    const time = slotTime(this.genesis, globalSlot);
    this.logger.line(LINES.checkingVrfEvaluations, { epoch: time.epoch, slot: time.slot });
    this.logger.sim(SIM_FILE, "Debug", "VRF evaluation at global slot $global_slot: $result", {
      global_slot: String(globalSlot),
      stake: stake.toString(),
      total_stake: epochData.distribution.total.toString(),
      threshold: lottery.threshold,
      draw: lottery.draw,
      result: lottery.won ? "won" : "lost",
    });
    if (!lottery.won) return;
    this.produce(parent, globalSlot);
  }

  /** block_producer.ml: Block_produced, the frontier takes the breadcrumb, then it is broadcast (mina_networking.ml broadcast_state). */
  private produce(parent: ChainNode, globalSlot: number): void {
    const producer = (this.producerKey as MinaKeypair).publicKey;
    if (reachedSlotChainEnd(this.genesis, globalSlot)) {
      this.logger.line(LINES.reachedSlotChainEnd, { slot_chain_end: String(this.genesis.slotChainEnd) });
      return;
    }
    const emptyDiff = producesEmptyDiff(this.genesis, globalSlot);
    if (emptyDiff) this.logger.line(LINES.reachedSlotTxEnd, { slot_tx_end: String(this.genesis.slotTxEnd) });
    const snarkWorks = emptyDiff ? [] : this.selectSnarkWork(parent);
    const { commands, zkappCommands } = emptyDiff
      ? { commands: [], zkappCommands: [] }
      : selectUserCommands(this.zkappPool, this.genesis, parent, { globalSlot, coinbaseReceiver: producer, snarkWorks }, (max) =>
          this.pool.select(parent.ledger, max, globalSlot, this.genesis.accountCreationFee),
        );
    const built = buildBlock(this.genesis, parent, { globalSlot, creator: producer, coinbaseReceiver: producer, commands, zkappCommands, snarkWorks });
    if (!built.ok) {
      this.logger.sim(SIM_FILE, "Error", "Failed to produce a block at slot $slot: $error", { slot: String(globalSlot), error: built.error });
      return;
    }
    const node = built.node;
    const block = node.block;
    this.metrics.blockProduced(Date.now() - slotTime(this.genesis, globalSlot).startTime);
    this.logger.event(EVENTS.blockProduced, {}, { breadcrumb: breadcrumbJson(this.genesis, node, new Date()) });
    this.logger.line(LINES.waitingForBlock, { state_hash: block.stateHash });
    const result = this.addToFrontier((frontier) => frontier.insert(node));
    if (result.status !== "added") return;
    this.logger.line(LINES.generatedTransitionAccepted, { state_hash: block.stateHash });
    this.seenGossip.add(`block:${block.stateHash}`);
    this.logger.event(EVENTS.gossipNewState, { state_hash: block.stateHash }, { message: newStateMessageJson(this.genesis, node) });
    void this.broadcast("/gossip/block", { from: this.sender(), block: blockToWire(block) });
  }

  private selectSnarkWork(parent: ChainNode): CompletedWork[] {
    const chosen: CompletedWork[] = [];
    const used = new Set<number>();
    let fees = 0n;
    for (const work of this.snarkPool.values()) {
      if (!canComplete(parent.scan, work.workIds) || work.workIds.some((id) => used.has(id))) continue;
      // paid out of the coinbase (the plain one: enough whether or not the block is supercharged)
      if (fees + work.fee > this.genesis.coinbase) continue;
      chosen.push(work);
      fees += work.fee;
      for (const id of work.workIds) used.add(id);
    }
    return chosen;
  }

  // ---------------------------------------------------------------- transactions

  /** A command from this node's GraphQL, already checked: into the pool and out to the peers. */
  submitLocal(command: SignedCommand): void {
    this.pool.add(command);
    this.metrics.transactionsAddedToPool++;
    this.metrics.transactionPoolDiffBroadcasted++;
    this.userCommandsSent++;
    this.seenGossip.add(`tx:${command.hash}`);
    this.logger.sim(SIM_FILE, "Debug", "Added transaction $hash from $sender to the pool", { hash: command.hash, sender: command.from, nonce: command.nonce });
    this.logger.event(EVENTS.gossipTransactionPoolDiff, { txns: [userCommandJson(command)] }, { message: transactionPoolDiffMessageJson([command]) });
    void this.broadcast("/gossip/transactions", { from: this.sender(), txns: [commandToWire(command)] }, undefined, true);
  }

  /** A zkApp command from this node's GraphQL (zkapp/graphql.ts), already checked: into the pool and out to the peers. */
  submitLocalZkapp(record: ZkappCommandRecord): void {
    this.zkappPool.add(record);
    this.metrics.transactionsAddedToPool++;
    this.metrics.transactionPoolDiffBroadcasted++;
    this.seenGossip.add(`zkapp:${record.hash}`);
    this.logger.sim(SIM_FILE, "Debug", "Added zkApp command $hash from $fee_payer to the pool", {
      hash: record.hash,
      fee_payer: record.json.feePayer.body.publicKey,
      nonce: record.json.feePayer.body.nonce,
    });
    void this.broadcast("/gossip/zkapp-commands", { from: this.sender(), commands: [record] }, undefined, true);
  }

  /** loadZkappLogicFor on a gossip path, whose caller does not await it: a failed load is logged with what it dropped. */
  private async loadedZkappLogicFor(carriers: Parameters<typeof loadZkappLogicFor>[0], what: string): Promise<boolean> {
    try {
      await loadZkappLogicFor(carriers);
      return true;
    } catch (error) {
      this.logger.sim(SIM_FILE, "Error", "Dropped $what: $error", { what, error: (error as Error).message });
      return false;
    }
  }

  private async onZkappGossip(message: z.infer<typeof ZkappGossipSchema>): Promise<void> {
    if (!(await this.loadedZkappLogicFor([{ zkappCommands: message.commands }], "gossiped zkApp commands"))) return;
    const frontier = this.frontier;
    if (!frontier || this.syncStatus === "BOOTSTRAP") return;
    const accepted: ZkappCommandRecord[] = [];
    for (const record of message.commands) {
      if (this.seenGossip.has(`zkapp:${record.hash}`)) continue;
      this.remember(`zkapp:${record.hash}`);
      const ledger = frontier.best.ledger;
      const feePayer = record.json.feePayer.body.publicKey;
      const queued = this.zkappPool.fromFeePayer(feePayer).length;
      const inferred = this.pool.inferredNonce(ledger, feePayer);
      const error =
        poolRefusesAt(this.genesis, this.currentSlot()) ??
        this.zkappPool.check(ledger, record, inferred === undefined ? undefined : inferred + queued, {
          globalSlot: this.currentSlot(),
          blockchainLength: frontier.best.block.height + 1,
          accountCreationFee: this.genesis.accountCreationFee,
        });
      if (error) {
        this.logger.sim(SIM_FILE, "Debug", "Dropped gossiped zkApp command $hash: $error", { hash: record.hash, error: typeof error === "string" ? error : refusalMessage(error) });
        continue;
      }
      this.zkappPool.add(record);
      this.metrics.transactionsAddedToPool++;
      accepted.push(record);
    }
    if (accepted.length === 0) return;
    this.metrics.transactionPoolDiffReceived++;
    void this.broadcast("/gossip/zkapp-commands", { from: this.sender(), commands: accepted }, message.from.peerId, true);
  }

  // ---------------------------------------------------------------- snark coordinator

  /** The next open job bundle (one or two ids, oldest first) not yet done or handed out. */
  private nextWork(): number[] | undefined {
    const frontier = this.frontier;
    if (!frontier || !this.synced) return undefined;
    const now = Date.now();
    for (const [key, until] of this.assignedWork) if (until < now) this.assignedWork.delete(key);
    const done = new Set([...this.snarkPool.values()].flatMap((w) => w.workIds));
    const assigned = new Set([...this.assignedWork.keys()].flatMap((k) => k.split(",").map(Number)));
    const open = openWorkIds(frontier.best.scan).filter((id) => !done.has(id) && !assigned.has(id));
    const ordered = this.options.workSelection === "seq" ? open : [...open].sort(() => Math.random() - 0.5);
    const bundle = ordered.slice(0, 2).sort((a, b) => a - b);
    if (bundle.length === 0) return undefined;
    this.assignedWork.set(bundle.join(","), now + 30_000);
    return bundle;
  }

  private acceptWork(workIds: number[], worker: string): { accepted: boolean; reason?: string } {
    const frontier = this.frontier;
    const prover = this.options.snarkCoordinator;
    if (!frontier || !prover) return { accepted: false, reason: "this node is not a snark coordinator" };
    this.assignedWork.delete(workIds.join(","));
    if (!canComplete(frontier.best.scan, workIds)) return { accepted: false, reason: "stale: the work is no longer needed" };
    const work: CompletedWork = { workIds, fee: this.options.snarkWorkerFee, prover };
    this.snarkPool.set(workIds.join(","), work);
    this.logger.sim(SIM_FILE, "Debug", "Received completed work $work_ids from snark worker $worker", { work_ids: workIds, worker });
    const chainId = this.genesis.genesisStateHash;
    this.logger.event(EVENTS.gossipSnarkPoolDiff, { work: compactSnarkWorkJson(chainId, work) }, { message: snarkPoolDiffMessageJson(chainId, work) });
    void this.broadcast("/gossip/snark-work", { from: this.sender(), work: { workIds, fee: work.fee.toString(), prover } });
    return { accepted: true };
  }

  // ---------------------------------------------------------------- HTTP handlers

  private async handleExternal(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    try {
      const path = (req.url ?? "").split("?")[0] ?? "";
      const host = remoteHost(req);
      if (req.method === "GET") {
        const frontier = this.frontier;
        if (!frontier || this.syncStatus === "BOOTSTRAP") return sendJson(res, 503, { error: "not ready: bootstrapping" });
        if (path === `${PROTOCOL_PREFIX}/best-tip`) {
          return sendJson(res, 200, { stateHash: frontier.bestHash, height: frontier.best.block.height, rootHash: frontier.rootHash, rootHeight: frontier.root.block.height });
        }
        if (path === `${PROTOCOL_PREFIX}/best-chain`) return sendJson(res, 200, { blocks: frontier.path().map((n) => blockToWire(n.block)) });
        if (path === `${PROTOCOL_PREFIX}/frontier`) return sendJson(res, 200, frontier.toSnapshot());
        if (path === `${PROTOCOL_PREFIX}/peers`) return sendJson(res, 200, { peers: this.peers.list() });
        return sendJson(res, 404, { error: `no such path ${path}` });
      }
      if (req.method !== "POST") return sendJson(res, 405, { error: "use GET or POST" });
      const body: unknown = JSON.parse(await readBody(req));
      if (path === `${PROTOCOL_PREFIX}/hello`) {
        const hello = HelloSchema.parse(body);
        if (hello.chainId !== this.genesis.genesisStateHash) return sendJson(res, 409, { error: `chain id ${hello.chainId} is not ours (${this.genesis.genesisStateHash})` });
        if (this.peers.upsert(hello.from.peerId, host, hello.from.port)) {
          this.logger.sim(SIM_FILE, "Info", "Connected to peer $peer_id at $host:$port", { peer_id: hello.from.peerId, host, port: hello.from.port });
        }
        const peers = this.peers.list().map((p) => ({ peerId: p.peerId, host: p.host, port: p.port }));
        return sendJson(res, 200, { chainId: this.genesis.genesisStateHash, peerId: this.peerId, peers });
      }
      if (path === `${PROTOCOL_PREFIX}/gossip/block`) {
        const message = BlockGossipSchema.parse(body);
        sendJson(res, 200, { ok: true });
        this.peers.upsert(message.from.peerId, host, message.from.port);
        return this.onBlockGossip(message, host);
      }
      if (path === `${PROTOCOL_PREFIX}/gossip/transactions`) {
        const message = TransactionsGossipSchema.parse(body);
        sendJson(res, 200, { ok: true });
        return this.onTransactionsGossip(message, host);
      }
      if (path === `${PROTOCOL_PREFIX}/gossip/zkapp-commands`) {
        const message = ZkappGossipSchema.parse(body);
        sendJson(res, 200, { ok: true });
        return this.onZkappGossip(message);
      }
      if (path === `${PROTOCOL_PREFIX}/gossip/snark-work`) {
        const message = SnarkWorkGossipSchema.parse(body);
        sendJson(res, 200, { ok: true });
        return this.onSnarkWorkGossip(message, host);
      }
      return sendJson(res, 404, { error: `no such path ${path}` });
    } catch (error) {
      if (!res.headersSent) sendJson(res, 400, { error: (error as Error).message.slice(0, 1000) });
    }
  }

  private async handleClient(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    try {
      const path = (req.url ?? "").split("?")[0] ?? "";
      if (!this.options.snarkCoordinator) return sendJson(res, 404, { error: "this daemon does not run a snark coordinator (-run-snark-coordinator)" });
      if (req.method !== "POST") return sendJson(res, 405, { error: "use POST" });
      const body: unknown = JSON.parse((await readBody(req)) || "{}");
      if (path === `${PROTOCOL_PREFIX}/snark/get-work`) {
        const workIds = this.nextWork();
        if (workIds) this.logger.sim(SIM_FILE, "Debug", "Handing out work $work_ids to a snark worker", { work_ids: workIds });
        return sendJson(res, 200, { work: workIds ? { workIds, fee: this.options.snarkWorkerFee.toString(), prover: this.options.snarkCoordinator } : null });
      }
      if (path === `${PROTOCOL_PREFIX}/snark/submit-work`) {
        const submit = SubmitWorkSchema.parse(body);
        return sendJson(res, 200, this.acceptWork(submit.workIds, submit.worker ?? remoteHost(req)));
      }
      return sendJson(res, 404, { error: `no such path ${path}` });
    } catch (error) {
      if (!res.headersSent) sendJson(res, 400, { error: (error as Error).message.slice(0, 1000) });
    }
  }

  private async onBlockGossip(message: z.infer<typeof BlockGossipSchema>, host: string): Promise<void> {
    const frontier = this.frontier;
    const key = `block:${message.block.stateHash}`;
    if (!frontier || this.seenGossip.has(key) || frontier.has(message.block.stateHash)) return;
    this.remember(key);
    const sender = this.senderInfo(message.from.peerId, host, message.from.port);
    this.logBlockReceived(frontier, message.block, sender);
    this.highestBlockLengthReceived = Math.max(this.highestBlockLengthReceived, message.block.height);
    if (this.syncStatus === "BOOTSTRAP") return;
    const block = blockFromWire(message.block);
    if (!(await this.loadedZkappLogicFor([block ?? {}], `block ${message.block.stateHash}`))) return;
    if (!block) {
      this.logger.sim(SIM_FILE, "Warn", "Rejected block $state_hash from $sender: invalid signed command", { state_hash: message.block.stateHash, sender });
      return;
    }
    if (block.globalSlot > this.currentSlot() + 1) {
      this.logger.sim(SIM_FILE, "Debug", "Ignoring block $state_hash from the future (slot $slot)", { state_hash: block.stateHash, slot: String(block.globalSlot) });
      return;
    }
    const result = this.addToFrontier((f) => f.add(block));
    if (result.status === "added") {
      void this.broadcast("/gossip/block", { from: this.sender(), block: message.block }, message.from.peerId);
    } else if (result.status === "missing-parent") {
      const peer = this.peers.get(message.from.peerId);
      this.logger.sim(SIM_FILE, "Info", "Block $state_hash at height $height has an unknown parent: catching up from $peer_id", {
        state_hash: block.stateHash,
        height: String(block.height),
        peer_id: message.from.peerId,
      });
      if (peer) await this.catchup(peer, "gossip");
    } else if (result.status === "invalid") {
      this.logger.sim(SIM_FILE, "Warn", "Rejected block $state_hash from $sender: $error", { state_hash: block.stateHash, sender, error: result.error });
    } else {
      this.logger.sim(SIM_FILE, "Debug", "Ignoring block $state_hash: $status", { state_hash: block.stateHash, status: result.status });
    }
  }

  /**
   * block_sink.ml's Block_received, on receipt and before validation, with the block as
   * `external_transition`. The block is not applied yet: its protocol state's ledger totals and
   * epoch data are taken from its parent (or the best tip when the parent is unknown).
   */
  private logBlockReceived(frontier: Frontier, wire: BlockWire, sender: Sender): void {
    const context = frontier.get(wire.previousStateHash) ?? frontier.best;
    const block: Block = { ...wire, commands: [], snarkWorks: [] };
    const node: ChainNode = { ...context, block };
    this.logger.event(EVENTS.blockReceived, { state_hash: wire.stateHash, sender }, { external_transition: blockJson(this.genesis, node) });
  }

  private onTransactionsGossip(message: z.infer<typeof TransactionsGossipSchema>, host: string): void {
    const frontier = this.frontier;
    if (!frontier || this.syncStatus === "BOOTSTRAP") return;
    const fresh = message.txns.filter((wire) => !this.seenGossip.has(`tx:${wire.hash}`));
    if (fresh.length === 0) return;
    // logged on receipt, before the pool's checks (as Block_gossip is): a transaction that arrives after a
    // block already included it was still received, it is only not taken into the pool nor relayed
    const sender = this.senderInfo(message.from.peerId, host, message.from.port);
    const decoded = fresh.map((wire) => ({ wire, command: commandFromWire(wire) }));
    if (this.options.logTxnPoolGossip) {
      const txns = decoded.flatMap(({ command }) => (command ? [userCommandJson(command)] : []));
      this.logger.event(EVENTS.transactionsReceived, { txns, sender });
    }
    this.metrics.transactionPoolDiffReceived++;
    const accepted: SignedCommand[] = [];
    for (const { wire, command } of decoded) {
      this.remember(`tx:${wire.hash}`);
      if (!command) {
        this.logger.sim(SIM_FILE, "Debug", "Dropped gossiped transaction $hash: Invalid_signature", { hash: wire.hash });
        continue;
      }
      const error = poolRefusesAt(this.genesis, this.currentSlot()) ?? this.pool.check(frontier.best.ledger, command, this.currentSlot());
      if (error) {
        this.logger.sim(SIM_FILE, "Debug", "Dropped gossiped transaction $hash: $error", { hash: wire.hash, error });
        continue;
      }
      this.pool.add(command);
      this.metrics.transactionsAddedToPool++;
      accepted.push(command);
    }
    if (accepted.length === 0) return;
    this.metrics.transactionPoolDiffBroadcasted++;
    void this.broadcast("/gossip/transactions", { from: this.sender(), txns: accepted.map(commandToWire) }, message.from.peerId, true);
  }

  private onSnarkWorkGossip(message: z.infer<typeof SnarkWorkGossipSchema>, host: string): void {
    const frontier = this.frontier;
    const key = `work:${message.work.workIds.join(",")}`;
    if (!frontier || this.seenGossip.has(key) || this.syncStatus === "BOOTSTRAP") return;
    this.remember(key);
    const work: CompletedWork = { workIds: message.work.workIds, fee: BigInt(message.work.fee), prover: message.work.prover };
    if (this.options.logSnarkWorkGossip) {
      this.logger.event(EVENTS.snarkWorkReceived, { work: compactSnarkWorkJson(this.genesis.genesisStateHash, work), sender: this.senderInfo(message.from.peerId, host, message.from.port) });
    }
    if (!canComplete(frontier.best.scan, work.workIds)) return;
    this.snarkPool.set(work.workIds.join(","), work);
    void this.broadcast("/gossip/snark-work", { from: this.sender(), work: message.work }, message.from.peerId);
  }

  /** Gossip ids already handled; bounded so that a long run does not grow it without limit. */
  private remember(key: string): void {
    this.seenGossip.add(key);
    if (this.seenGossip.size > 20_000) {
      const oldest = this.seenGossip.values().next().value;
      if (oldest !== undefined) this.seenGossip.delete(oldest);
    }
  }
}

/** The address other nodes reach this one at: the first non-internal IPv4 (Mina asks -external-ip or finds it out). */
function externalAddress(): string {
  for (const addresses of Object.values(os.networkInterfaces())) {
    for (const address of addresses ?? []) if (address.family === "IPv4" && !address.internal) return address.address;
  }
  return "127.0.0.1";
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
