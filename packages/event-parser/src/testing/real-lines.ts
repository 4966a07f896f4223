/*
 * Real daemon lines that Mina users posted in Mina's issue tracker (github.com/MinaProtocol/mina),
 * each exactly as posted (`posted`), with its source. Where the poster's tool put something in
 * front of the daemon's line (journalctl's "Mon dd hh:mm:ss host mina[pid]: ", grep's "mina.log:"),
 * `prefix` says what it is; the daemon's own line is what follows it. Lines are not edited; notes
 * say where a poster redacted a value. The lines were found with the search tool's issue corpus
 * (2026-12-01); many posted lines (Block_produced's breadcrumbs, pretty-printed crash reports)
 * were longer than the excerpts it returns and are not here, since a fixture must be the whole line.
 *
 * `table` is the event-id table for the release the line came from; `expect` is what Mina's
 * executive would derive: `events` (types, in order), or a plain `log` line (with the registered
 * event it is, when the table knows its id), or `text` (not JSON: Mina's pretty format, CLI noise).
 */
export interface RealLine {
  source: string;
  /** when the line was written, and by which Mina release, as far as the post says */
  release: string;
  table: "mainnet-1.3" | "berkeley-2023-09" | "develop-newest";
  posted: string;
  prefix?: string;
  note?: string;
  expect: { events: string[]; level?: string } | { log: true; registered?: string } | { text: true };
}

const J = "Nov 11 14:27:41 m23636.contaboserver.net mina[1975]: ";

export const REAL_LINES: readonly RealLine[] = [
  // MinaProtocol/mina#9239 (psteckler, 2021-07-23): `grep` over mina.log, Mina 1.1.x
  {
    source: "https://github.com/MinaProtocol/mina/issues/9239",
    release: "2021-07, Mina 1.1.x (mainnet line)",
    table: "mainnet-1.3",
    prefix: "mina.log:",
    posted: String.raw`mina.log:{"timestamp":"2021-07-23 00:58:19.787341Z","level":"Info","source":{"module":"Block_producer","location":"File \"src/lib/block_producer/block_producer.ml\", line 497, characters 8-19"},"message":"Pausing block production while bootstrapping","metadata":{"host":"136.25.135.80","peer_id":"12D3KooWEdSXVHzAm92VHRx1tYN5UawqEP9bVdQNq1ui6tXLrEZK","pid":51517,"port":5001}}`,
    expect: { log: true },
  },
  {
    source: "https://github.com/MinaProtocol/mina/issues/9239",
    release: "2021-07, Mina 1.1.x (mainnet line)",
    table: "mainnet-1.3",
    prefix: "mina.log:",
    posted: String.raw`mina.log:{"timestamp":"2021-07-23 00:58:34.371658Z","level":"Info","source":{"module":"Mina_lib","location":"File \"src/lib/mina_lib/mina_lib.ml\", line 442, characters 18-33"},"message":"Mina daemon is bootstrapping","metadata":{"host":"136.25.135.80","peer_id":"12D3KooWEdSXVHzAm92VHRx1tYN5UawqEP9bVdQNq1ui6tXLrEZK","pid":51517,"port":5001},"event_id":"caeba1d8ced251138e39c58355587526"}`,
    expect: { log: true, registered: "Bootstrapping" },
  },
  // MinaProtocol/mina#14542 (Atikocak, 2023-11-11): journalctl of "Berkeley Testnet Release 2.0.0rampup5"
  {
    source: "https://github.com/MinaProtocol/mina/issues/14542",
    release: "2023-11, 2.0.0rampup5 (commit 55b78189c4, branch rampup)",
    table: "berkeley-2023-09",
    prefix: "Nov 11 14:25:54 m23636.contaboserver.net mina[1975]: ",
    posted: String.raw`Nov 11 14:25:54 m23636.contaboserver.net mina[1975]: {"timestamp":"2023-11-11 13:25:54.414332Z","level":"Info","source":{"module":"Mina_cli_entrypoint","location":"File \"src/app/cli/src/cli_entrypoint/mina_cli_entrypoint.ml\", line 559, characters 8-19"},"message":"Mina daemon is booting up; built with commit $commit on branch $branch","metadata":{"branch":"rampup","commit":"55b78189c46e1811b8bdb78864cfa95409aeb96a","commit_date":"2023-10-11T18:26:29+02:00","marlin_commit":"fd7c19d4c5dbb6826d1d5ce6bc24796a44087f70"}}`,
    expect: { log: true },
  },
  {
    source: "https://github.com/MinaProtocol/mina/issues/14542",
    release: "2023-11, 2.0.0rampup5",
    table: "berkeley-2023-09",
    prefix: J,
    posted: String.raw`Nov 11 14:27:41 m23636.contaboserver.net mina[1975]: {"timestamp":"2023-11-11 13:27:41.718440Z","level":"Info","source":{"module":"Uptime_service__Uptime_snark_worker","location":"File \"src/lib/uptime_service/uptime_snark_worker.ml\", line 110, characters 2-13"},"message":"Daemon started process of kind $process_kind with pid $uptime_snark_worker_pid","metadata":{"process_kind":"Uptime_snark_worker","uptime_snark_worker_pid":2147}}`,
    expect: { log: true },
  },
  {
    source: "https://github.com/MinaProtocol/mina/issues/14542",
    release: "2023-11, 2.0.0rampup5",
    table: "berkeley-2023-09",
    prefix: J,
    posted: String.raw`Nov 11 14:27:41 m23636.contaboserver.net mina[1975]: {"timestamp":"2023-11-11 13:27:41.718507Z","level":"Info","source":{"module":"Exit_handlers","location":"File \"src/lib/exit_handlers/exit_handlers.ml\", line 28, characters 2-13"},"message":"Registering async shutdown handler: $description","metadata":{"description":"Close transition frontier, if exists"}}`,
    expect: { log: true },
  },
  {
    source: "https://github.com/MinaProtocol/mina/issues/14542",
    release: "2023-11, 2.0.0rampup5",
    table: "berkeley-2023-09",
    prefix: J,
    posted: String.raw`Nov 11 14:27:41 m23636.contaboserver.net mina[1975]: Environment variable MINA_TIME_OFFSET not found, using default of 0`,
    expect: { text: true },
  },
  {
    source: "https://github.com/MinaProtocol/mina/issues/14542",
    release: "2023-11, 2.0.0rampup5",
    table: "berkeley-2023-09",
    prefix: J,
    posted: String.raw`Nov 11 14:27:41 m23636.contaboserver.net mina[1975]: {"timestamp":"2023-11-11 13:27:41.718606Z","level":"Debug","source":{"module":"Network_pool__Transaction_pool","location":"File \"src/lib/network_pool/transaction_pool.ml\", line 801, characters 17-29"},"message":"no frontier","metadata":{}}`,
    expect: { log: true },
  },
  // MinaProtocol/mina#14357 (mahofmahof, 2023-10-17): "running version Commit 55b78189c4... on branch rampup"
  {
    source: "https://github.com/MinaProtocol/mina/issues/14357",
    release: "2023-10, rampup 55b78189c4",
    table: "berkeley-2023-09",
    prefix: "Oct 17 08:59:04 ubuvm mina[13863]: ",
    posted: String.raw`Oct 17 08:59:04 ubuvm mina[13863]: {"timestamp":"2023-10-17 08:59:04.876140Z","level":"Error","source":{"module":"Mina_net2","location":"File \"src/lib/mina_net2/mina_net2.ml\", line 189, characters 6-28"},"message":"Encountered $error while asking libp2p_helper for peers","metadata":{"$duplicated_keys":["host","peer_id","port"],"error":{"commit_id":"55b78189c46e1811b8bdb78864cfa95409aeb96a","string":"helper process already exited (doing RPC ListPeers)"},"host":"159.146.54.127","peer_id":"12D3KooWRzPTD5T9Dh1Kbar6boHC4pXYi8UaiJrUY8CBPoGRRvvX","port":8702}}`,
    expect: { events: ["Log_error"], level: "Error" },
  },
  {
    source: "https://github.com/MinaProtocol/mina/issues/14357",
    release: "2023-10, rampup 55b78189c4",
    table: "berkeley-2023-09",
    prefix: "Oct 17 08:59:04 ubuvm mina[13863]: ",
    posted: "Oct 17 08:59:04 ubuvm mina[13863]:   ☠️  Mina Daemon crashed.",
    expect: { text: true },
  },
  // MinaProtocol/mina#10197 (meetrick, 2022-02-09): "v1.3.0 beta-1 node is often restarted"
  {
    source: "https://github.com/MinaProtocol/mina/issues/10197",
    release: "2022-02, 1.3.0beta1",
    table: "mainnet-1.3",
    posted: String.raw`{"timestamp":"2022-02-09 14:03:44.795561Z","level":"Info","source":{"module":"Mina_lib__Coda_subscriptions","location":"File \"src/lib/mina_lib/coda_subscriptions.ml\", line 226, characters 11-22"},"message":"Saw block with state hash $state_hash","metadata":{"host":"65.21.225.37","peer_id":"12D3KooWFTrtiuscobTsJwvShNzBWH56Jt6hWoZTtYqFFyQWFA7c","pid":1365041,"port":8302,"state_hash":"3NKUxTsE1HgH3haQSTtPp8Smeff4Becn8UVYGP21hUspev4EPY2D"}}`,
    expect: { log: true },
  },
  {
    source: "https://github.com/MinaProtocol/mina/issues/10197",
    release: "2022-02, 1.3.0beta1",
    table: "mainnet-1.3",
    posted: String.raw`{"timestamp":"2022-02-09 14:03:44.995252Z","level":"Fatal","source":{"module":"Mina_net2__Libp2p_helper","location":"File \"src/lib/mina_net2/libp2p_helper.ml\", line 140, characters 8-30"},"message":"libp2p_helper process died unexpectedly: $exit_status","metadata":{"exit_status":"died after receiving sigkill (signal number 9)","host":"65.21.225.37","peer_id":"12D3KooWFTrtiuscobTsJwvShNzBWH56Jt6hWoZTtYqFFyQWFA7c","pid":1365041,"port":8302}}`,
    expect: { events: ["Log_error"], level: "Fatal" },
  },
  // MinaProtocol/mina#14449 (nfttrader00, 2023-10-27): a mainnet node (mainnet_seeds.txt), Mina 1.4.x
  {
    source: "https://github.com/MinaProtocol/mina/issues/14449",
    release: "2023-10, mainnet 1.4.x",
    table: "mainnet-1.3",
    posted: String.raw`{"timestamp":"2023-10-27 23:26:02.744924Z","level":"Debug","source":{"module":"Snark_worker__Functor","location":"File \"src/lib/snark_worker/functor.ml\", line 182, characters 6-18"},"message":"Snark worker using daemon $addr","metadata":{"addr":"127.0.0.1:8301","pid":27900,"process":"Snark Worker"}}`,
    expect: { log: true },
  },
  // MinaProtocol/mina#18194 (cjjdespres, 2025-12-03): the newest daemons
  {
    source: "https://github.com/MinaProtocol/mina/issues/18194",
    release: "2025-12, develop",
    table: "develop-newest",
    note: "the poster replaced host and peer_id with <me>",
    posted: String.raw`{"timestamp":"2025-12-03 00:59:23.218172Z","level":"Info","source":{"module":"Bootstrap_controller","location":"File \"src/lib/bootstrap_controller/bootstrap_controller.ml\", line 689, characters 2-13"},"message":"Bootstrap completed in $time_elapsed: $bootstrap_stats","metadata":{"bootstrap_stats":[{"cycle_result":"success","sync_ledger_time":46.8419623374939,"staged_ledger_data_download_time":12.495678663253784,"staged_ledger_construction_time":36.01002883911133,"local_state_sync_required":true,"local_state_sync_time":88.06876564025879}],"host":"<me>","peer_id":"<me>","port":8302,"time_elapsed":"214.918941 seconds"}}`,
    expect: { log: true },
  },
  // MinaProtocol/mina PR #3223 (deepthiskumar, 2019-08-20): Coda, before structured event ids
  {
    source: "https://github.com/MinaProtocol/mina/pull/3223",
    release: "2019-08, Coda testnet",
    table: "mainnet-1.3",
    note: "no event_id: Coda of 2019 had none, so no event (the message alone never makes one)",
    posted: String.raw`{"timestamp":"2019-08-20 01:16:50.306045Z","level":"Debug","source":{"module":"Coda_networking","location":"File \"src/lib/coda_networking/coda_networking.ml\", line 792, characters 28-35"},"message":"Received Snark-pool diff $work from $sender","metadata":{"pid":42138,"sender":{"Remote":"10.111.4.160"},"work":{"work_id":441587705,"fee":1,"prover":"8QnLYnzAkhx3moXHHBBpK418LGCEiQZzYDgKggntsNkZqsUJLFos474Mzoy5mWJP9S"}}}`,
    expect: { log: true },
  },
  // MinaProtocol/mina#7656 (kinrokinro, 2021-01-24): a snark worker of the 2021 testnets
  {
    source: "https://github.com/MinaProtocol/mina/issues/7656",
    release: "2021-01, Coda/Mina 1.0 era",
    table: "mainnet-1.3",
    posted: String.raw`{"timestamp":"2021-01-24 17:33:41.975628Z","level":"Info","source":{"module":"Snark_worker__Functor","location":"File \"src/lib/snark_worker/functor.ml\", line 196, characters 10-21"},"message":"No jobs available. Napping for $time seconds","metadata":{"pid":4096,"process":"Snark Worker","time":6.065064998335826}}`,
    expect: { log: true },
  },
  {
    source: "https://github.com/MinaProtocol/mina/issues/7656",
    release: "2021-01, Coda/Mina 1.0 era",
    table: "mainnet-1.3",
    posted: String.raw`{"timestamp":"2021-01-24 17:33:48.041110Z","level":"Debug","source":{"module":"Snark_worker__Functor","location":"File \"src/lib/snark_worker/functor.ml\", line 169, characters 8-20"},"message":"Snark worker working directory $dir","metadata":{"dir":"/root","pid":4096,"process":"Snark Worker"}}`,
    expect: { log: true },
  },
  {
    source: "https://github.com/MinaProtocol/mina/issues/7656",
    release: "2021-01, Coda/Mina 1.0 era",
    table: "mainnet-1.3",
    note: "the poster replaced the daemon's address with $IP",
    posted: String.raw`{"timestamp":"2021-01-24 17:33:48.041276Z","level":"Debug","source":{"module":"Snark_worker__Functor","location":"File \"src/lib/snark_worker/functor.ml\", line 181, characters 6-18"},"message":"Snark worker using daemon $addr","metadata":{"addr":"$IP:8301","pid":4096,"process":"Snark Worker"}}`,
    expect: { log: true },
  },
  {
    source: "https://github.com/MinaProtocol/mina/issues/7656",
    release: "2021-01, Coda/Mina 1.0 era",
    table: "mainnet-1.3",
    note: "the poster replaced the daemon's address with $IP",
    posted: String.raw`{"timestamp":"2021-01-24 17:33:51.323645Z","level":"Info","source":{"module":"Snark_worker__Functor","location":"File \"src/lib/snark_worker/functor.ml\", line 201, characters 10-21"},"message":"SNARK work $work_ids received from $address. Starting proof generation","metadata":{"address":"$IP:8301","pid":4096,"process":"Snark Worker","work_ids":[446708799,854838443]}}`,
    expect: { log: true },
  },
  // MinaProtocol/mina#6069 (jkrauska, 2020-09-21): a standalone Coda snark worker
  {
    source: "https://github.com/MinaProtocol/mina/issues/6069",
    release: "2020-09, Coda",
    table: "mainnet-1.3",
    posted: "Transaction_snark.system: 14.981s",
    expect: { text: true },
  },
  {
    source: "https://github.com/MinaProtocol/mina/issues/6069",
    release: "2020-09, Coda",
    table: "mainnet-1.3",
    posted: String.raw`{"timestamp":"2020-09-21 01:24:16.324152Z","level":"Debug","source":{"module":"Snark_worker__Functor","location":"File \"src/lib/snark_worker/functor.ml\", line 163, characters 8-20"},"message":"Snark worker working directory $dir","metadata":{"dir":"/root","pid":962,"process":"Snark Worker"}}`,
    expect: { log: true },
  },
  {
    source: "https://github.com/MinaProtocol/mina/issues/6069",
    release: "2020-09, Coda",
    table: "mainnet-1.3",
    posted: String.raw`{"timestamp":"2020-09-21 01:24:16.324454Z","level":"Debug","source":{"module":"Snark_worker__Functor","location":"File \"src/lib/snark_worker/functor.ml\", line 175, characters 6-18"},"message":"Snark worker using daemon $addr","metadata":{"addr":"127.0.0.1:8301","pid":962,"process":"Snark Worker"}}`,
    expect: { log: true },
  },
  {
    source: "https://github.com/MinaProtocol/mina/issues/6069",
    release: "2020-09, Coda",
    table: "mainnet-1.3",
    posted: String.raw`{"timestamp":"2020-09-21 01:24:16.451795Z","level":"Info","source":{"module":"Snark_worker__Functor","location":"File \"src/lib/snark_worker/functor.ml\", line 193, characters 10-21"},"message":"SNARK work $work_ids received from $address. Starting proof generation","metadata":{"address":"127.0.0.1:8301","pid":962,"process":"Snark Worker","work_ids":[544125355,555252695]}}`,
    expect: { log: true },
  },
  // Mina's pretty (non-JSON) stdout format, as users paste it: text lines for the parser
  {
    source: "https://github.com/MinaProtocol/mina/issues/15674",
    release: "2024-06, berkeley 93e02797f7",
    table: "develop-newest",
    prefix: "Jun 07 17:38:10  mina[16386]: ",
    note: "Generating_snark_work_failed in the pretty format: Mina's executive reads JSON only",
    posted: "Jun 07 17:38:10  mina[16386]: 2024-06-07 14:38:10 UTC [Error] Failed to generate SNARK work: $error",
    expect: { text: true },
  },
  {
    source: "https://github.com/MinaProtocol/mina/issues/15717",
    release: "2024-06, berkeley 93e02797f7",
    table: "develop-newest",
    prefix: "Jun 04 23:22:30 mina[258703]: ",
    posted: `Jun 04 23:22:30 mina[258703]: 2024-06-04 21:22:30 UTC [Info] Mina daemon is booting up; built with commit "93e02797f72abe2cbf8dfca6f2328e9c8cd76546" on branch "berkeley"`,
    expect: { text: true },
  },
  {
    source: "https://github.com/MinaProtocol/mina/issues/16397",
    release: "2024-12, mainnet 3.0.x",
    table: "develop-newest",
    prefix: "Dec 04 17:29:11 sp1004031 mina[431176]: ",
    posted: "Dec 04 17:29:11 sp1004031 mina[431176]: 2024-12-04 16:29:11 UTC [Error] Encountered $error while asking libp2p_helper for peers",
    expect: { text: true },
  },
  {
    source: "https://github.com/MinaProtocol/mina/issues/16397",
    release: "2024-12, mainnet 3.0.x",
    table: "develop-newest",
    prefix: "Dec 04 17:29:11 sp1004031 mina[431176]: ",
    posted: "Dec 04 17:29:11 sp1004031 mina[431176]: 2024-12-04 16:29:11 UTC [Fatal] Unhandled top-level exception: $exn",
    expect: { text: true },
  },
  {
    source: "https://github.com/MinaProtocol/mina/issues/12721",
    release: "2023-02, berkeley testnet",
    table: "berkeley-2023-09",
    posted: "2023-02-28 16:28:03 UTC [Error] libp2p_helper: failed to set log level debug for mplex: error: No such logger",
    expect: { text: true },
  },
  {
    source: "https://github.com/MinaProtocol/mina/issues/12721",
    release: "2023-02, berkeley testnet",
    table: "berkeley-2023-09",
    posted: "2023-02-28 16:28:03 UTC [Info] Mina daemon is connecting",
    expect: { text: true },
  },
  {
    source: "https://github.com/MinaProtocol/mina/issues/12721",
    release: "2023-02, berkeley testnet",
    table: "berkeley-2023-09",
    posted: "2023-02-28 16:28:03 UTC [Warn] GCLOUD_KEYFILE environment variable not set. Must be set to use upload_blocks_to_gcloud",
    expect: { text: true },
  },
  {
    source: "https://github.com/MinaProtocol/mina/issues/11734",
    release: "2022-08, devnet 1.3.2beta2-6e4c7fc",
    table: "mainnet-1.3",
    posted: "2022-08-29 15:33:31 UTC [Error] verifier terminated unexpectedly",
    expect: { text: true },
  },
  {
    source: "https://github.com/MinaProtocol/mina/issues/11734",
    release: "2022-08, devnet 1.3.2beta2-6e4c7fc",
    table: "mainnet-1.3",
    posted: "2022-08-29 15:33:31 UTC [Info] Starting a new verifier process",
    expect: { text: true },
  },
  {
    source: "https://github.com/MinaProtocol/mina/issues/9169",
    release: "2021-07, 1.2.0beta1",
    table: "mainnet-1.3",
    prefix: "Jul 07 18:17:07 node11 mina[69992]: ",
    posted: "Jul 07 18:17:07 node11 mina[69992]: 2021-07-07 18:17:07 UTC [Error] failed to parse log line $line from helper stderr as json",
    expect: { text: true },
  },
  {
    source: "https://github.com/MinaProtocol/mina/issues/9521",
    release: "2021-09, mainnet 1.2.x (commit d5ff5aa207)",
    table: "mainnet-1.3",
    posted: "2021-09-23 14:59:07 UTC [Info] Rebroadcasting $state_hash",
    expect: { text: true },
  },
  {
    source: "https://github.com/MinaProtocol/mina/issues/9521",
    release: "2021-09, mainnet 1.2.x (commit d5ff5aa207)",
    table: "mainnet-1.3",
    posted: "2021-09-23 14:59:07 UTC [Info] Saw block with state hash $state_hash",
    expect: { text: true },
  },
  {
    source: "https://github.com/MinaProtocol/mina/issues/5074",
    release: "2020-06, Coda testnet 3.2b",
    table: "mainnet-1.3",
    posted: `2020-06-10 20:43:11 UTC [Info] Daemon started process of kind "Prover" with pid 12851`,
    expect: { text: true },
  },
  {
    source: "https://github.com/MinaProtocol/mina/issues/11666",
    release: "2022-08, a local build (commit placeholder __commit_sha1__)",
    table: "mainnet-1.3",
    posted: "2022-08-18 08:21:10 UTC [Info] Removing lockfile for terminated process",
    expect: { text: true },
  },
  // MinaProtocol/mina#3128 (knarz, 2019-08-07) and #2569 (jkrauska, 2019-05-30): Coda's trust system
  {
    source: "https://github.com/MinaProtocol/mina/issues/3128",
    release: "2019-08, Coda testnet",
    table: "mainnet-1.3",
    posted: String.raw`{"timestamp":"2019-08-07 20:29:27.973336Z","level":"Debug","source":{"module":"Trust_system__Peer_trust","location":"File \"lib/trust_system/peer_trust.ml\", line 120, characters 56-63"},"message":"Decreasing trust for peer $peer due to action Trust_system.Actions.Connected. New trust is 0.000006.","metadata":{"peer":"52.53.238.133","pid":7}}`,
    expect: { log: true },
  },
  {
    source: "https://github.com/MinaProtocol/mina/issues/2569",
    release: "2019-05, Coda testnet",
    table: "mainnet-1.3",
    note: "peer 1.2.3.4 is likely the poster's placeholder",
    posted: String.raw`{"timestamp":"2019-05-30 20:36:48.450857Z","level":"Debug","source":{"module":"Trust_system__Peer_trust","location":"File \"lib/trust_system/peer_trust.ml\", line 136, characters 60-67"},"message":"Decreasing trust for peer $peer due to action Trust_system.Actions.Connected. New trust is -0.001292.","metadata":{"peer":"1.2.3.4","pid":8218}}`,
    expect: { log: true },
  },
];
