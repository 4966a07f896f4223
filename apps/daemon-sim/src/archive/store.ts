import type { ArchiveBlock } from "./wire.js";

/** The one thing the store needs from a PostgreSQL client (pg's PoolClient has it). */
export interface Sql {
  query<R extends Record<string, unknown> = Record<string, unknown>>(text: string, values?: unknown[]): Promise<{ rows: R[] }>;
}

/**
 * Writes blocks into Mina's archive schema (reference/archive/create_schema.sql of
 * compose-generator, Mina 9f068b1c3b): blocks, public_keys, snarked_ledger_hashes,
 * epoch_data, protocol_versions, user_commands + blocks_user_commands, internal_commands +
 * blocks_internal_commands. The caller wraps each block in a transaction. Account tables
 * (accounts_accessed, accounts_created, timing_info, zkApp tables) stay empty: the simulator's
 * blocks do not carry account states.
 */
async function idOf(sql: Sql, table: string, value: string): Promise<number> {
  const inserted = await sql.query<{ id: number }>(`INSERT INTO ${table} (value) VALUES ($1) ON CONFLICT (value) DO NOTHING RETURNING id`, [value]);
  if (inserted.rows[0]) return inserted.rows[0].id;
  const found = await sql.query<{ id: number }>(`SELECT id FROM ${table} WHERE value = $1`, [value]);
  return requireId(found.rows[0], `${table} ${value}`);
}

function requireId(row: { id: number } | undefined, what: string): number {
  if (!row) throw new Error(`no row for ${what}`);
  return row.id;
}

async function epochDataId(sql: Sql, data: ArchiveBlock["staking_epoch_data"]): Promise<number> {
  const ledgerHashId = await idOf(sql, "snarked_ledger_hashes", data.ledger.hash);
  const values = [data.seed, ledgerHashId, data.ledger.total_currency, data.start_checkpoint, data.lock_checkpoint, data.epoch_length];
  await sql.query(
    `INSERT INTO epoch_data (seed, ledger_hash_id, total_currency, start_checkpoint, lock_checkpoint, epoch_length)
     VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT DO NOTHING`,
    values,
  );
  const found = await sql.query<{ id: number }>(
    `SELECT id FROM epoch_data WHERE seed = $1 AND ledger_hash_id = $2 AND total_currency = $3 AND start_checkpoint = $4 AND lock_checkpoint = $5 AND epoch_length = $6`,
    values,
  );
  return requireId(found.rows[0], `epoch_data ${data.seed}`);
}

async function protocolVersionId(sql: Sql, version: ArchiveBlock["protocol_version"]): Promise<number> {
  const values = [version.transaction, version.network, version.patch];
  await sql.query(`INSERT INTO protocol_versions (major, minor, patch) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING`, values);
  const found = await sql.query<{ id: number }>(`SELECT id FROM protocol_versions WHERE major = $1 AND minor = $2 AND patch = $3`, values);
  return requireId(found.rows[0], "protocol_versions");
}

export type AddResult = { status: "added"; id: number } | { status: "known"; id: number };

/** Adds a block and its commands unless the archive has it (Mina's `add_if_doesn't_exist`). */
export async function addBlock(sql: Sql, block: ArchiveBlock, chainStatus: "canonical" | "pending"): Promise<AddResult> {
  const known = await sql.query<{ id: number }>(`SELECT id FROM blocks WHERE state_hash = $1`, [block.state_hash]);
  if (known.rows[0]) return { status: "known", id: known.rows[0].id };
  const creatorId = await idOf(sql, "public_keys", block.creator);
  const winnerId = await idOf(sql, "public_keys", block.block_winner);
  const snarkedId = await idOf(sql, "snarked_ledger_hashes", block.snarked_ledger_hash);
  const stakingId = await epochDataId(sql, block.staking_epoch_data);
  const nextId = await epochDataId(sql, block.next_epoch_data);
  const versionId = await protocolVersionId(sql, block.protocol_version);
  const parent = await sql.query<{ id: number }>(`SELECT id FROM blocks WHERE state_hash = $1`, [block.parent_hash]);
  const inserted = await sql.query<{ id: number }>(
    `INSERT INTO blocks (state_hash, parent_id, parent_hash, creator_id, block_winner_id, last_vrf_output, snarked_ledger_hash_id,
       staking_epoch_data_id, next_epoch_data_id, min_window_density, sub_window_densities, total_currency, ledger_hash, height,
       global_slot_since_hard_fork, global_slot_since_genesis, protocol_version_id, proposed_protocol_version_id, timestamp, chain_status)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, NULL, $18, $19) RETURNING id`,
    [
      block.state_hash,
      parent.rows[0]?.id ?? null,
      block.parent_hash,
      creatorId,
      winnerId,
      block.last_vrf_output,
      snarkedId,
      stakingId,
      nextId,
      block.min_window_density,
      block.sub_window_densities,
      block.total_currency,
      block.ledger_hash,
      block.height,
      block.global_slot_since_hard_fork,
      block.global_slot_since_genesis,
      versionId,
      block.timestamp,
      chainStatus,
    ],
  );
  const blockId = requireId(inserted.rows[0], `block ${block.state_hash}`);
  // a child that arrived before its parent gets its parent_id now (Mina's set_parent_id_if_null)
  await sql.query(`UPDATE blocks SET parent_id = $1 WHERE parent_hash = $2 AND parent_id IS NULL`, [blockId, block.state_hash]);

  for (const command of block.user_cmds) {
    const ids = [await idOf(sql, "public_keys", command.fee_payer), await idOf(sql, "public_keys", command.source), await idOf(sql, "public_keys", command.receiver)];
    await sql.query(
      `INSERT INTO user_commands (command_type, fee_payer_id, source_id, receiver_id, nonce, amount, fee, valid_until, memo, hash)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) ON CONFLICT (hash) DO NOTHING`,
      [command.command_type, ...ids, command.nonce, command.amount ?? null, command.fee, command.valid_until ?? null, command.memo, command.hash],
    );
    const found = await sql.query<{ id: number }>(`SELECT id FROM user_commands WHERE hash = $1`, [command.hash]);
    await sql.query(`INSERT INTO blocks_user_commands (block_id, user_command_id, sequence_no, status, failure_reason) VALUES ($1, $2, $3, $4, $5)`, [
      blockId,
      requireId(found.rows[0], `user command ${command.hash}`),
      command.sequence_no,
      command.status,
      command.failure_reason ?? null,
    ]);
  }
  for (const command of block.internal_cmds) {
    const receiverId = await idOf(sql, "public_keys", command.receiver);
    await sql.query(`INSERT INTO internal_commands (command_type, receiver_id, fee, hash) VALUES ($1, $2, $3, $4) ON CONFLICT (hash, command_type) DO NOTHING`, [
      command.command_type,
      receiverId,
      command.fee,
      command.hash,
    ]);
    const found = await sql.query<{ id: number }>(`SELECT id FROM internal_commands WHERE hash = $1 AND command_type = $2`, [command.hash, command.command_type]);
    await sql.query(`INSERT INTO blocks_internal_commands (block_id, internal_command_id, sequence_no, secondary_sequence_no, status) VALUES ($1, $2, $3, $4, $5)`, [
      blockId,
      requireId(found.rows[0], `internal command ${command.hash}`),
      command.sequence_no,
      command.secondary_sequence_no,
      command.status,
    ]);
  }
  return { status: "added", id: blockId };
}

/**
 * Mina's chain status: a block k deep under the highest block is final. When `blockId` is the
 * highest, its ancestors at height <= max - k become canonical and the other pending blocks at
 * those heights orphaned.
 */
export async function updateChainStatus(sql: Sql, blockId: number, k: number): Promise<void> {
  const top = await sql.query<{ height: string; max: string }>(`SELECT height::text, (SELECT max(height) FROM blocks)::text AS max FROM blocks WHERE id = $1`, [blockId]);
  const row = top.rows[0];
  if (!row || row.height !== row.max) return;
  const finalHeight = Number(row.height) - k;
  if (finalHeight < 1) return;
  await sql.query(
    `WITH RECURSIVE chain AS (
       SELECT id, parent_id, height FROM blocks WHERE id = $1
       UNION ALL
       SELECT b.id, b.parent_id, b.height FROM blocks b JOIN chain c ON b.id = c.parent_id WHERE c.height > 1
     )
     UPDATE blocks SET chain_status = 'canonical' WHERE id IN (SELECT id FROM chain WHERE height <= $2) AND chain_status <> 'canonical'`,
    [blockId, finalHeight],
  );
  await sql.query(`UPDATE blocks SET chain_status = 'orphaned' WHERE height <= $1 AND chain_status = 'pending'`, [finalHeight]);
}
