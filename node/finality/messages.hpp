#pragma once
// The finality gadget's wire formats (SCALE), modelled on Substrate's
// finality-grandpa / sc-consensus-grandpa types:
//
//   Message        = enum { 0 Prevote{target_hash, target_number: u32},
//                           1 Precommit{target_hash, target_number: u32} }
//                    (index 2, PrimaryPropose, is reserved: this gadget has no primary)
//   SignedMessage  = Message ++ signature[65] ++ id[33]
//   SignedPrecommit / SignedPrevote = the vote ++ signature[65] ++ id[33]
//   Commit         = target_hash ++ target_number: u32 ++ Vec<SignedPrecommit>
//   GossipMessage  = enum { 0 Vote{round: u64, set_id: u64, message: SignedMessage},
//                           1 Commit{round: u64, set_id: u64, commit: Commit},
//                           3 CatchUpRequest{round: u64, set_id: u64},
//                           4 CatchUp{set_id: u64, round: u64, prevotes: Vec<SignedPrevote>,
//                                     precommits: Vec<SignedPrecommit>, base_hash, base_number: u32} }
//                    (index 2, Substrate's Neighbor packet, is reserved)
//   Justification  = round: u64 ++ set_id: u64 ++ Commit ++ votes_ancestries: Vec<Header>
//                    (Substrate's GrandpaJustification plus the set id, so a
//                    justification for another set is named as such)
//
// An authority id is its 33-byte compressed secp256k1 key. A vote's signature
// is the authority's ECDSA signature (runtime/crypto/ecdsa.hpp) over
//   blake2b-256("bazaar/grandpa" ++ SCALE(Message) ++ round: u64 LE ++ set_id: u64 LE ++ genesis_hash)
// so a vote cannot be replayed in another round, set or chain.

#include "node/chain/block_store.hpp"
#include "runtime/codec/scale.hpp"
#include "runtime/crypto/ecdsa.hpp"
#include "runtime/primitives/header.hpp"

#include <boost/describe/class.hpp>

#include <variant>
#include <vector>

namespace bazaar::node::finality {

using chain::BlockInfo;
using runtime::BlockNumber;
using runtime::Bytes;
using runtime::ByteSpan;
using runtime::H256;
using runtime::Header;
using AuthorityId = runtime::crypto::EcdsaPublic;
using AuthoritySignature = runtime::crypto::EcdsaSignature;
using RoundNumber = uint64_t;
using SetId = uint64_t;

struct Prevote {
  static constexpr uint8_t kIndex = 0;
  H256 target_hash;
  BlockNumber target_number = 0;
  BlockInfo target() const { return {target_hash, target_number}; }
  friend bool operator==(const Prevote&, const Prevote&) = default;
};
BOOST_DESCRIBE_STRUCT(Prevote, (), (target_hash, target_number))

struct Precommit {
  static constexpr uint8_t kIndex = 1;
  H256 target_hash;
  BlockNumber target_number = 0;
  BlockInfo target() const { return {target_hash, target_number}; }
  friend bool operator==(const Precommit&, const Precommit&) = default;
};
BOOST_DESCRIBE_STRUCT(Precommit, (), (target_hash, target_number))

using Message = std::variant<Prevote, Precommit>;

/// The block a vote is for.
BlockInfo message_target(const Message& m);

struct SignedMessage {
  Message message;
  AuthoritySignature signature;
  AuthorityId id;
  friend bool operator==(const SignedMessage&, const SignedMessage&) = default;
};
BOOST_DESCRIBE_STRUCT(SignedMessage, (), (message, signature, id))

struct SignedPrevote {
  Prevote prevote;
  AuthoritySignature signature;
  AuthorityId id;
  friend bool operator==(const SignedPrevote&, const SignedPrevote&) = default;
};
BOOST_DESCRIBE_STRUCT(SignedPrevote, (), (prevote, signature, id))

struct SignedPrecommit {
  Precommit precommit;
  AuthoritySignature signature;
  AuthorityId id;
  friend bool operator==(const SignedPrecommit&, const SignedPrecommit&) = default;
};
BOOST_DESCRIBE_STRUCT(SignedPrecommit, (), (precommit, signature, id))

/// Precommits by more than 2/3 of the authorities for `target` or its descendants.
struct Commit {
  H256 target_hash;
  BlockNumber target_number = 0;
  std::vector<SignedPrecommit> precommits;
  BlockInfo target() const { return {target_hash, target_number}; }
  friend bool operator==(const Commit&, const Commit&) = default;
};
BOOST_DESCRIBE_STRUCT(Commit, (), (target_hash, target_number, precommits))

struct VoteMessage {
  static constexpr uint8_t kIndex = 0;
  RoundNumber round = 0;
  SetId set_id = 0;
  SignedMessage message;
  friend bool operator==(const VoteMessage&, const VoteMessage&) = default;
};
BOOST_DESCRIBE_STRUCT(VoteMessage, (), (round, set_id, message))

struct CommitMessage {
  static constexpr uint8_t kIndex = 1;
  RoundNumber round = 0;
  SetId set_id = 0;
  Commit commit;
  friend bool operator==(const CommitMessage&, const CommitMessage&) = default;
};
BOOST_DESCRIBE_STRUCT(CommitMessage, (), (round, set_id, commit))

/// "I am in `round`; if you completed a later round, send me its votes."
struct CatchUpRequest {
  static constexpr uint8_t kIndex = 3;
  RoundNumber round = 0;
  SetId set_id = 0;
  friend bool operator==(const CatchUpRequest&, const CatchUpRequest&) = default;
};
BOOST_DESCRIBE_STRUCT(CatchUpRequest, (), (round, set_id))

/// The votes of a completed round, enough for the receiver to join the next one.
struct CatchUp {
  static constexpr uint8_t kIndex = 4;
  SetId set_id = 0;
  RoundNumber round = 0;
  std::vector<SignedPrevote> prevotes;
  std::vector<SignedPrecommit> precommits;
  H256 base_hash;
  BlockNumber base_number = 0;
  friend bool operator==(const CatchUp&, const CatchUp&) = default;
};
BOOST_DESCRIBE_STRUCT(CatchUp, (), (set_id, round, prevotes, precommits, base_hash, base_number))

using GossipMessage = std::variant<VoteMessage, CommitMessage, CatchUpRequest, CatchUp>;

/// The proof stored with a finalized block and served to peers.
struct Justification {
  RoundNumber round = 0;
  SetId set_id = 0;
  Commit commit;
  /// Headers linking every precommit target to the commit target (each
  /// precommit target's ancestors down to, not including, the commit target).
  std::vector<Header> votes_ancestries;
  friend bool operator==(const Justification&, const Justification&) = default;
};
BOOST_DESCRIBE_STRUCT(Justification, (), (round, set_id, commit, votes_ancestries))

/// The bytes whose blake2b-256 an authority signs for `message` (see above).
Bytes signing_payload(const Message& message, RoundNumber round, SetId set_id, const H256& genesis);

/// Signs `message` with `key`.
SignedMessage sign_message(const runtime::crypto::Keypair& key, Message message, RoundNumber round, SetId set_id,
                           const H256& genesis);

/// Whether `signature` over `message` recovers to `id`.
bool check_signature(const Message& message, const AuthoritySignature& signature, const AuthorityId& id,
                     RoundNumber round, SetId set_id, const H256& genesis);

Bytes encode_gossip(const GossipMessage& message);
/// Decodes a whole gossip message. Errors: Undecodable (any SCALE error or trailing bytes).
Result<GossipMessage> decode_gossip(ByteSpan bytes);

Bytes encode_justification(const Justification& justification);
/// Decodes a whole justification. Errors: Undecodable.
Result<Justification> decode_justification(ByteSpan bytes);

/// Gossip topic of the votes of one round: blake2b-256("bazaar/grandpa/round" ++ set_id ++ round).
H256 round_topic(SetId set_id, RoundNumber round);
/// Gossip topic of commits and catch-up messages of a set: blake2b-256("bazaar/grandpa/global" ++ set_id).
H256 global_topic(SetId set_id);

}  // namespace bazaar::node::finality
