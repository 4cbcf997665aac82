#pragma once
// The benchmarks' workload: a chain spec with M endowed bench accounts (plus
// the dev chain's accounts and its authority //Alice), N signed
// Credits.transfer_keep_alive extrinsics between random accounts, and the
// sealed blocks that carry them, built on an authoring chain of our own.
//
// Bench account i has the secret blake2b-256("bench" ++ SCALE(u32 i)) (no
// SURI derivation: PBKDF2 for 10,000 keys would dominate the set-up). The
// transfers use a fixed seed, an immortal era and consecutive nonces per
// sender, so the same options always give the same blocks.
//
// bazaar-bench-import keeps the whole workload in memory (build_workload);
// bazaar-bench-sync builds a chain of millions of transfers straight into a
// node's database without keeping the blocks (build_chain).

#include "genesis/chain_spec.hpp"
#include "runtime/crypto/ecdsa.hpp"
#include "runtime/primitives/block.hpp"

#include <boost/outcome.hpp>

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <string>
#include <vector>

namespace bazaar::tools::bench {

namespace outcome = BOOST_OUTCOME_V2_NAMESPACE;

/// Benchmark errors are messages for the user (the tool exits with them).
template <class T>
using BenchResult = outcome::result<T, std::string>;

/// The first Aura slot of the benchmark's blocks (block i has slot kFirstSlot + i).
/// With the bench spec's 1 s slots it is in November 2023: in the past for
/// any real clock, so a node importing the blocks never finds them ahead of time.
inline constexpr uint64_t kFirstSlot = 1'700'000'000;

struct WorkloadOptions {
  std::size_t transfers = 10'000;  ///< N signed transfers
  std::size_t accounts = 10'000;   ///< M endowed bench accounts (>= 2)
  std::size_t per_block = 1'000;   ///< K transfers per block (the last block may have fewer)
  uint64_t seed = 0x62617a616172;  ///< for the choice of sender, receiver and amount
  /// Threads that sign transfers while the chain is built (0 = hardware threads).
  std::size_t sign_threads = 0;
};

/// What a signature check of one transfer covers, for the recover baseline:
/// the signing payload, its signature and the signer's account.
struct SignedPayload {
  runtime::Bytes payload;
  runtime::crypto::EcdsaSignature signature;
  runtime::AccountId32 signer;
};

struct Workload {
  genesis::ChainSpec spec;
  std::vector<runtime::Block> blocks;   ///< sealed, in order, the first on genesis
  std::vector<SignedPayload> payloads;  ///< one per transfer, in block order
  std::size_t transfers = 0;
  double sign_seconds = 0;   ///< key generation and signing
  double build_seconds = 0;  ///< building, sealing and storing the blocks on the authoring chain
};

/// A bench chain built into a database by build_chain.
struct BuiltChain {
  genesis::ChainSpec spec;
  runtime::H256 genesis_hash;
  runtime::H256 best_hash;   ///< the last bench block
  runtime::BlockNumber best_number = 0;
  std::size_t transfers = 0;
  double sign_seconds = 0;   ///< key generation and signing
  double build_seconds = 0;  ///< building, sealing and storing the blocks
};

/// The secret key of bench account `index`: blake2b-256("bench" ++ SCALE(u32 index)).
runtime::crypto::Keypair bench_key(uint32_t index);

/// The dev chain spec (named "Bench", id "bench", chain type "Local") with
/// each of `accounts` endowed with 10^6 CC on top of the dev balances. //Alice
/// is the only Aura authority; slots last 1 s.
BenchResult<genesis::ChainSpec> bench_spec(const std::vector<runtime::crypto::Keypair>& accounts);

/// Signs the transfers and builds the blocks on a chain in `authoring_dir`
/// (an empty directory), sealing them as //Alice for consecutive slots, and
/// keeps blocks and payloads in memory.
BenchResult<Workload> build_workload(const WorkloadOptions& options, const std::filesystem::path& authoring_dir);

/// Builds the same blocks as build_workload into an archive-mode LevelDB chain
/// at `db_dir` (empty or absent; a bazaar-node database opened with
/// --state-pruning archive), one block at a time without keeping them.
/// `progress` (if given) is called after each stored block with its number;
/// when it returns false the build stops with the error "interrupted".
BenchResult<BuiltChain> build_chain(const WorkloadOptions& options, const std::filesystem::path& db_dir,
                                    const std::function<bool(std::size_t)>& progress = {});

/// The signed payloads of the first `count` transfers of `options` (the same
/// transfers as in its blocks) on the chain with `genesis_hash`, for the
/// recover baseline.
std::vector<SignedPayload> first_payloads(const WorkloadOptions& options, const runtime::H256& genesis_hash,
                                          std::size_t count);

/// The import's clock (BlockImportOptions::now_ms) for the bench chains: far
/// beyond every bench slot, so the FutureSlot check never objects whatever the
/// wall clock says.
inline uint64_t bench_clock_ms() { return uint64_t{1} << 60; }

}  // namespace bazaar::tools::bench
