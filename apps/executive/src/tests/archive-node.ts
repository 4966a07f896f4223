import { dumpTables } from "../dsl/archive-dump.js";
import { defineTest } from "../dsl/define-test.js";
import { TestFailure } from "../dsl/errors.js";
import { nodesToInitialize } from "../dsl/wait-conditions.js";

const K = 5;
const BLOCK_WINDOW_MS = 2000;
/** Mina lets the network run 15 minutes (5 slots of its 3-minute default); ours runs this many of its slots */
const RUN_SLOTS = 15;
/** the archive's genesis block plus a few: less and the check proves little */
const MIN_ARCHIVED_HEIGHT = 4;

/**
 * Mina's archive-node test, section by section: MinaProtocol/mina
 * src/app/test_executive/archive_node_test.ml (at 798626efa5, and the same sections in its
 * newer Map-based version): four block producers (4000, 9000, 8000, 17000 MINA), one archive
 * node, precomputed blocks logged; wait for the nodes, wait for the archive node, let the
 * network run, dump the archive data (`dump_archive_data`, pg_dump). Mina's test then dumps
 * the precomputed blocks from the logs and checks nothing else (its checks run in the
 * replayer, which is not part of it). Our port checks the dump: every block of the best chain
 * of the seed feeding the archive is in `blocks` with its parent linked, final blocks are
 * canonical, each block has its coinbase in `blocks_internal_commands`. `broken` also requires
 * a block above that seed's best tip, which no archive can hold.
 */
export function makeArchiveNode(options: { broken?: boolean } = {}) {
  return defineTest({
    name: "archive-node",
    description: "an archive node on PostgreSQL stores every block of its seed's best chain in Mina's schema (pg_dump checked)",
    config: {
      requires_graphql: true,
      genesis_ledger: [
        { account_name: "node-a-key", balance: "4000" },
        { account_name: "node-b-key", balance: "9000" },
        { account_name: "node-c-key", balance: "8000" },
        { account_name: "node-d-key", balance: "17000" },
      ],
      block_producers: [
        { node_name: "node-a", account_name: "node-a-key" },
        { node_name: "node-b", account_name: "node-b-key" },
        { node_name: "node-c", account_name: "node-c-key" },
        { node_name: "node-d", account_name: "node-d-key" },
      ],
      num_archive_nodes: 1,
      log_precomputed_blocks: true,
      k: K,
      slots_per_epoch: 48,
      proof_config: { block_window_duration_ms: BLOCK_WINDOW_MS },
    },
    async run(t) {
      const archive = t.network.archiveNodes[0];
      if (!archive) throw new TestFailure("the test needs an archive node");
      // Mina's layout: the seed named after the archive node's number feeds it
      const feeder = t.network.node(archive.name.replace(/^archive-/, "seed-"));

      await t.sectionHard("wait for nodes to initialize", () => t.waitFor(nodesToInitialize(t.network.all.map((n) => n.name))));

      await t.sectionHard("wait for archive node to initialize", async () => {
        await t.expectLogLine(archive.name, /Archive process ready\. Clients can now connect/, { withinMs: 60_000 });
      });

      await t.section(`run the network for ${RUN_SLOTS} slots`, async () => {
        t.log.info({ slots: RUN_SLOTS, ms: RUN_SLOTS * BLOCK_WINDOW_MS }, "archive node test: running network for $slots slots");
        await new Promise((resolve) => setTimeout(resolve, RUN_SLOTS * BLOCK_WINDOW_MS));
      });

      // the check reads the dump, and is ours (Mina's test ends with the dump): both stop the test on a hard error
      const dump = await t.sectionHard("dump archive data", () => archive.dumpArchiveData());

      await t.sectionHard("check archive data", async () => {
        const tables = dumpTables(dump.sql);
        const blocks = tables.get("blocks") ?? [];
        t.assert(blocks.length > 0, `the dump ${dump.file} has no rows in blocks`);
        const byHash = new Map(blocks.map((b) => [b.state_hash ?? "", b]));
        const byId = new Map(blocks.map((b) => [b.id ?? "", b]));
        const archivedMax = Math.max(...blocks.map((b) => Number(b.height)));
        t.assert(archivedMax >= MIN_ARCHIVED_HEIGHT, `the archive's highest block is at height ${archivedMax}, expected at least ${MIN_ARCHIVED_HEIGHT} after ${RUN_SLOTS} slots`);

        // fetched after the dump: the seed is at least as far as the archive; its newest block may still be on its way
        const chain = await feeder.graphql.bestChain();
        const tip = Math.max(...chain.map((b) => b.height));
        const settled = chain.filter((b) => b.height <= archivedMax - 1);
        const missing = settled.filter((b) => !byHash.has(b.stateHash));
        t.assert(missing.length === 0, `blocks of ${feeder.name}'s best chain missing from the archive: ${missing.map((b) => `${b.height}:${b.stateHash}`).join(", ")}`);
        for (const [i, block] of settled.entries()) {
          const row = byHash.get(block.stateHash);
          const parent = i > 0 ? byHash.get(settled[i - 1]?.stateHash ?? "") : undefined;
          if (row && parent) t.assertEqual(row.parent_id, parent.id, `parent_id of the archived block at height ${block.height}`);
        }
        const finalUpTo = archivedMax - K;
        const notCanonical = settled.filter((b) => b.height <= finalUpTo && byHash.get(b.stateHash)?.chain_status !== "canonical");
        t.assert(
          notCanonical.length === 0,
          `final blocks (at least k=${K} deep) not canonical in the archive: ${notCanonical.map((b) => `${b.height}:${byHash.get(b.stateHash)?.chain_status}`).join(", ")}`,
        );

        const coinbases = new Set(
          (tables.get("blocks_internal_commands") ?? [])
            .filter((row) => (tables.get("internal_commands") ?? []).some((c) => c.id === row.internal_command_id && c.command_type === "coinbase"))
            .map((row) => byId.get(row.block_id ?? "")?.state_hash),
        );
        const withoutCoinbase = settled.filter((b) => b.height > 1 && !coinbases.has(b.stateHash));
        t.assert(withoutCoinbase.length === 0, `archived blocks without their coinbase: ${withoutCoinbase.map((b) => b.height).join(", ")}`);

        if (options.broken) {
          t.assert(archivedMax > tip, `the archive's highest block is at height ${archivedMax}, expected one above ${feeder.name}'s best tip at ${tip}`);
        }
        t.log.info({ blocks: blocks.length, height: archivedMax, tip, file: dump.file }, "archive node test: the archive holds $blocks blocks up to height $height ($file)");
      });
    },
  });
}

export default makeArchiveNode();
