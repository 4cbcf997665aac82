// Transaction validity: every reason an extrinsic is refused, both by
// validate_transaction (the pool) and by apply_extrinsic (the block), and the
// ValidTransaction the pool gets for good ones. A refused extrinsic changes
// nothing: the block's writes equal those of the same block without it.

#include "tests/modules/composition/harness.hpp"

namespace bazaar::test::composition {
namespace {

namespace credits = modules::credits;
namespace system = modules::system;
namespace timestamp = modules::timestamp;
using runtime::Era;
using runtime::InvalidTransaction;
using runtime::MultiAddressId;
using runtime::UnknownTransaction;

comp::RuntimeCall transfer(std::string_view to, Balance amount) {
  return comp::make_call<credits::Module>(credits::TransferKeepAlive{MultiAddressId{dev_account(to)}, {amount}});
}

Bytes transfer_call_bytes() { return runtime::codec::encode(transfer("Charlie", 10 * runtime::kUnitsPerCC)); }

/// The tag the executive uses for (account, nonce): SCALE(account) ++ SCALE(u32 nonce).
Bytes nonce_tag(const AccountId32& who, Nonce nonce) {
  Bytes tag = runtime::codec::encode(who);
  const Bytes n = runtime::codec::encode(nonce);
  tag.insert(tag.end(), n.begin(), n.end());
  return tag;
}

/// Offers `xt` to the next block and checks it is refused with `expected` (an outcome_text) and
/// changes nothing: the block's writes equal those of the same block without it.
void require_apply_rejects(const TestChain& chain, const Bytes& xt, const std::string& expected) {
  const auto with = chain.run_block({xt});
  const auto without = chain.run_block({});
  REQUIRE(with.results.size() == 1);
  CHECK(outcome_text(with.results[0]) == expected);
  REQUIRE_FALSE(with.finalize_error.has_value());
  REQUIRE_FALSE(without.finalize_error.has_value());
  CHECK(with.block.extrinsics.size() == 1);
  CHECK(with.changes == without.changes);
}

/// Rewrites a signed extrinsic with `edit` applied to its decoded form.
template <class F>
Bytes edited(const Bytes& xt, F&& edit) {
  auto decoded = runtime::decode_extrinsic(xt);
  REQUIRE(decoded.has_value());
  auto value = decoded.value();
  edit(value);
  return runtime::encode_extrinsic(value);
}

SCENARIO("signature, signer and signed-extension data are checked (BadProof, CannotLookup)") {
  GIVEN("the test chain after one block and Bob's correctly signed transfer") {
    TestChain chain;
    REQUIRE(chain.produce_block({}).has_value());
    const Bytes good = chain.sign("Bob", transfer("Charlie", runtime::kUnitsPerCC));
    REQUIRE(validity_text(chain.validate(good)) == "Valid");
    const std::string bad_proof = validity_text(InvalidTransaction::BadProof);

    WHEN("a byte of the signature is flipped") {
      const Bytes xt = edited(good, [](runtime::UncheckedExtrinsic& x) {
        std::get<runtime::MultiSignatureEcdsa>(x.signature->signature).signature.bytes[40] ^= 0x01;
      });
      THEN("it is refused as BadProof in the pool and in a block") {
        CHECK(validity_text(chain.validate(xt)) == bad_proof);
        require_apply_rejects(chain, xt, invalid_text(InvalidTransaction::BadProof));
      }
    }
    WHEN("the signature is an Ed25519 one, which our accounts cannot have") {
      const Bytes xt = edited(good, [](runtime::UncheckedExtrinsic& x) {
        x.signature->signature = runtime::MultiSignatureEd25519{};
      });
      THEN("it is refused as BadProof") {
        CHECK(validity_text(chain.validate(xt)) == bad_proof);
        require_apply_rejects(chain, xt, invalid_text(InvalidTransaction::BadProof));
      }
    }
    WHEN("the signer is replaced by Charlie (the signature is Bob's)") {
      const Bytes xt = edited(
          good, [](runtime::UncheckedExtrinsic& x) { x.signature->signer = MultiAddressId{dev_account("Charlie")}; });
      THEN("it is refused as BadProof") {
        CHECK(validity_text(chain.validate(xt)) == bad_proof);
        require_apply_rejects(chain, xt, invalid_text(InvalidTransaction::BadProof));
      }
    }
    WHEN("the call is changed after signing") {
      const Bytes xt = edited(good, [](runtime::UncheckedExtrinsic& x) {
        x.call = runtime::codec::encode(transfer("Dave", runtime::kUnitsPerCC));
      });
      THEN("it is refused as BadProof") {
        CHECK(validity_text(chain.validate(xt)) == bad_proof);
        require_apply_rejects(chain, xt, invalid_text(InvalidTransaction::BadProof));
      }
    }
    WHEN("it is signed for another genesis hash") {
      H256 other = chain.genesis_hash();
      other.bytes[0] ^= 0xff;
      const Bytes xt = chain.sign("Bob", transfer("Charlie", runtime::kUnitsPerCC), {.genesis_hash = other});
      THEN("it is refused as BadProof (CheckGenesis)") {
        CHECK(validity_text(chain.validate(xt)) == bad_proof);
        require_apply_rejects(chain, xt, invalid_text(InvalidTransaction::BadProof));
      }
    }
    WHEN("it is signed for another spec version") {
      const Bytes xt = chain.sign("Bob", transfer("Charlie", runtime::kUnitsPerCC),
                                  {.spec_version = comp::runtime_version().spec_version + 1});
      THEN("it is refused as BadProof (CheckSpecVersion)") {
        CHECK(validity_text(chain.validate(xt)) == bad_proof);
        require_apply_rejects(chain, xt, invalid_text(InvalidTransaction::BadProof));
      }
    }
    WHEN("it is signed for another transaction version") {
      const Bytes xt = chain.sign("Bob", transfer("Charlie", runtime::kUnitsPerCC),
                                  {.transaction_version = comp::runtime_version().transaction_version + 1});
      THEN("it is refused as BadProof (CheckTxVersion)") {
        CHECK(validity_text(chain.validate(xt)) == bad_proof);
        require_apply_rejects(chain, xt, invalid_text(InvalidTransaction::BadProof));
      }
    }
    WHEN("the signer is given as an account index, which the runtime cannot look up") {
      const Bytes xt =
          edited(good, [](runtime::UncheckedExtrinsic& x) { x.signature->signer = runtime::MultiAddressIndex{{7}}; });
      THEN("it is refused as CannotLookup") {
        CHECK(validity_text(chain.validate(xt)) == validity_text(UnknownTransaction::CannotLookup));
        require_apply_rejects(chain, xt, "Invalid(" + validity_text(UnknownTransaction::CannotLookup) + ")");
      }
    }
    require_issuance_invariant(chain.state());
  }
}

SCENARIO("nonces are checked: stale ones are refused, future ones wait in the pool") {
  GIVEN("the test chain where Bob's nonce-0 transfer is in block 1") {
    TestChain chain;
    const Bytes first = chain.sign("Bob", transfer("Charlie", runtime::kUnitsPerCC));
    REQUIRE(chain.produce_block({first}).has_value());
    REQUIRE(chain.nonce("Bob") == 1);

    WHEN("the same extrinsic, or another with nonce 0, is offered again") {
      const Bytes other = chain.sign("Bob", transfer("Dave", runtime::kUnitsPerCC), {.nonce = 0});
      THEN("both are Stale in the pool and in a block") {
        CHECK(validity_text(chain.validate(first)) == validity_text(InvalidTransaction::Stale));
        CHECK(validity_text(chain.validate(other)) == validity_text(InvalidTransaction::Stale));
        require_apply_rejects(chain, first, invalid_text(InvalidTransaction::Stale));
        require_apply_rejects(chain, other, invalid_text(InvalidTransaction::Stale));
      }
    }
    WHEN("a transfer with nonce 3 (two ahead) is offered") {
      const Bytes future = chain.sign("Bob", transfer("Dave", runtime::kUnitsPerCC), {.nonce = 3});
      THEN("the pool accepts it, requiring Bob's nonce 2 first") {
        auto validity = chain.validate(future);
        REQUIRE(std::holds_alternative<runtime::ValidTransaction>(validity));
        const auto& valid = std::get<runtime::ValidTransaction>(validity);
        CHECK(valid.requires_tags == std::vector<Bytes>{nonce_tag(dev_account("Bob"), 2)});
        CHECK(valid.provides_tags == std::vector<Bytes>{nonce_tag(dev_account("Bob"), 3)});
      }
      AND_THEN("a block refuses it as Future") {
        require_apply_rejects(chain, future, invalid_text(InvalidTransaction::Future));
      }
    }
    WHEN("nonces 1 and 2 come in one block, in order and reversed") {
      const Bytes n1 = chain.sign("Bob", transfer("Dave", runtime::kUnitsPerCC), {.nonce = 1});
      const Bytes n2 = chain.sign("Bob", transfer("Dave", runtime::kUnitsPerCC), {.nonce = 2});
      const auto in_order = chain.run_block({n1, n2});
      const auto reversed = chain.run_block({n2, n1});
      THEN("in order both apply; reversed the first is Future and only nonce 1 applies") {
        CHECK(outcome_text(in_order.results[0]) == "Ok");
        CHECK(outcome_text(in_order.results[1]) == "Ok");
        CHECK(outcome_text(reversed.results[0]) == invalid_text(InvalidTransaction::Future));
        CHECK(outcome_text(reversed.results[1]) == "Ok");
        CHECK(reversed.block.extrinsics.size() == 2);
      }
    }
    require_issuance_invariant(chain.state());
  }
}

SCENARIO("mortal eras: valid inside the era, refused before its birth block is known and after it ends") {
  GIVEN("the test chain after block 1 and Bob's transfer with a 4-block era born at block 1") {
    TestChain chain;
    REQUIRE(chain.produce_block({}).has_value());
    const Era era = Era::mortal(4, chain.best_number());
    REQUIRE(era.birth(2) == 1);
    REQUIRE(era.death(2) == 5);
    const Bytes xt = chain.sign("Bob", transfer("Charlie", runtime::kUnitsPerCC), {.era = era});

    WHEN("it is offered for blocks 2 to 4") {
      THEN("it is valid for the blocks left in its era, and applies in block 4") {
        auto v2 = chain.validate(xt);
        REQUIRE(std::holds_alternative<runtime::ValidTransaction>(v2));
        CHECK(std::get<runtime::ValidTransaction>(v2).longevity == 3);
        REQUIRE(chain.produce_block({}).has_value());
        REQUIRE(chain.produce_block({}).has_value());
        auto v4 = chain.validate(xt);
        REQUIRE(std::holds_alternative<runtime::ValidTransaction>(v4));
        CHECK(std::get<runtime::ValidTransaction>(v4).longevity == 1);
        auto block = chain.produce_block({xt});
        REQUIRE(block.has_value());
        CHECK(outcome_text(block.value().results[0]) == "Ok");
        CHECK(chain.nonce("Bob") == 1);
      }
    }
    WHEN("the chain reaches block 4 without it, so the next block is past its era") {
      for (int i = 0; i < 3; ++i) REQUIRE(chain.produce_block({}).has_value());
      REQUIRE(chain.best_number() == 4);
      THEN("in block 5 the era's next birth block (5) has no hash yet: AncientBirthBlock") {
        CHECK(validity_text(chain.validate(xt)) == validity_text(InvalidTransaction::AncientBirthBlock));
        require_apply_rejects(chain, xt, invalid_text(InvalidTransaction::AncientBirthBlock));
      }
      AND_WHEN("one more block is produced") {
        REQUIRE(chain.produce_block({}).has_value());
        THEN("the era's birth block is now 5, whose hash the signature did not cover: BadProof") {
          CHECK(validity_text(chain.validate(xt)) == validity_text(InvalidTransaction::BadProof));
          require_apply_rejects(chain, xt, invalid_text(InvalidTransaction::BadProof));
        }
      }
    }
    WHEN("an era is used whose birth block lies ahead of the chain") {
      const Era ahead = Era::mortal(64, 100);  // birth(2) = 36
      const Bytes early = chain.sign("Bob", transfer("Charlie", runtime::kUnitsPerCC),
                                     {.era = ahead, .era_block_hash = chain.block_hash(1)});
      THEN("it is refused as AncientBirthBlock") {
        CHECK(validity_text(chain.validate(early)) == validity_text(InvalidTransaction::AncientBirthBlock));
        require_apply_rejects(chain, early, invalid_text(InvalidTransaction::AncientBirthBlock));
      }
    }
    WHEN("the era's birth block hash signed is not the chain's") {
      const Bytes wrong = chain.sign("Bob", transfer("Charlie", runtime::kUnitsPerCC),
                                     {.era = era, .era_block_hash = chain.genesis_hash()});
      THEN("it is refused as BadProof (CheckMortality)") {
        CHECK(validity_text(chain.validate(wrong)) == validity_text(InvalidTransaction::BadProof));
        require_apply_rejects(chain, wrong, invalid_text(InvalidTransaction::BadProof));
      }
    }
    require_issuance_invariant(chain.state());
  }
}

SCENARIO("a sender who cannot pay the fee is refused (Payment)") {
  GIVEN("the test chain") {
    TestChain chain;
    WHEN("Eve, who has no account, sends a remark") {
      const Bytes xt = chain.sign("Eve", comp::make_call<system::Module>(system::Remark{{1, 2, 3}}));
      THEN("it is refused as Payment") {
        CHECK(validity_text(chain.validate(xt)) == validity_text(InvalidTransaction::Payment));
        require_apply_rejects(chain, xt, invalid_text(InvalidTransaction::Payment));
      }
    }
    WHEN("Bob tips his whole balance") {
      const Bytes xt = chain.sign("Bob", comp::make_call<system::Module>(system::Remark{{1}}), {.tip = kEndowment});
      THEN("fee + tip would reap him: Payment") {
        CHECK(validity_text(chain.validate(xt)) == validity_text(InvalidTransaction::Payment));
        require_apply_rejects(chain, xt, invalid_text(InvalidTransaction::Payment));
      }
    }
    WHEN("Bob's first transfer leaves too little for his second one's fee in the same block") {
      const Bytes drain = chain.sign("Bob", transfer("Charlie", kEndowment - 2 * credits::kExistentialDeposit));
      const Bytes next = chain.sign("Bob", transfer("Charlie", runtime::kUnitsPerCC),
                                    {.nonce = 1, .tip = credits::kExistentialDeposit});
      const auto run = chain.run_block({drain, next});
      THEN("the second is refused as Payment and Bob's nonce counts only the first") {
        CHECK(outcome_text(run.results[0]) == "Ok");
        CHECK(outcome_text(run.results[1]) == invalid_text(InvalidTransaction::Payment));
        CHECK(run.block.extrinsics.size() == 2);
        MemoryState after = chain.state();
        after.apply(run.changes);
        CHECK(comp::account_nonce(after, dev_account("Bob")) == 1);
        require_issuance_invariant(after);
      }
    }
    require_issuance_invariant(chain.state());
  }
}

SCENARIO("malformed extrinsics and calls are refused (Call), oversized ones exhaust resources") {
  GIVEN("the test chain") {
    TestChain chain;
    const std::string call_error = validity_text(InvalidTransaction::Call);
    const Bytes good = chain.sign("Bob", transfer("Charlie", runtime::kUnitsPerCC));

    WHEN("the bytes are not an extrinsic") {
      Bytes trailing = good;
      trailing.push_back(0);
      Bytes cut = good;
      cut.resize(cut.size() - 5);
      Bytes version = good;
      // The version byte follows the compact length prefix (2 bytes for this size).
      REQUIRE(version[2] == runtime::kSignedExtrinsicVersion);
      version[2] = 0x85;
      const std::vector<Bytes> malformed = {{}, {0x00}, {0x04, 0x04}, {0xff, 0xff, 0xff}, trailing, cut, version};
      THEN("each is refused as Call and changes nothing") {
        for (const auto& xt : malformed) {
          INFO(runtime::to_hex(xt.size() > 16 ? Bytes(xt.begin(), xt.begin() + 16) : xt));
          CHECK(validity_text(chain.validate(xt)) == call_error);
          require_apply_rejects(chain, xt, invalid_text(InvalidTransaction::Call));
        }
      }
    }
    WHEN("the call names a missing module or a missing call, or is truncated or too long") {
      Bytes truncated = transfer_call_bytes();
      truncated.pop_back();
      Bytes too_long = transfer_call_bytes();
      too_long.push_back(0);
      const std::vector<Bytes> calls = {{99, 0}, {2, 0}, {4, 99}, {0, 7}, truncated, too_long};
      THEN("each signed extrinsic carrying it is refused as Call") {
        for (const auto& call : calls) {
          INFO(runtime::to_hex(call.size() > 8 ? Bytes(call.begin(), call.begin() + 8) : call));
          const Bytes xt = chain.sign_raw(dev_key("Bob"), call);
          CHECK(validity_text(chain.validate(xt)) == call_error);
          require_apply_rejects(chain, xt, invalid_text(InvalidTransaction::Call));
          CHECK_FALSE(comp::query_info(chain.state(), xt).has_value());
        }
      }
    }
    WHEN("a signed remark makes the extrinsic longer than the extrinsic length limit") {
      const Bytes remark(comp::block_limits().max_extrinsic_length, 0xab);
      const Bytes xt = chain.sign("Bob", comp::make_call<system::Module>(system::Remark{remark}));
      REQUIRE(xt.size() > comp::block_limits().max_extrinsic_length);
      THEN("it is refused as ExhaustsResources") {
        CHECK(validity_text(chain.validate(xt)) == validity_text(InvalidTransaction::ExhaustsResources));
        require_apply_rejects(chain, xt, invalid_text(InvalidTransaction::ExhaustsResources));
      }
    }
    require_issuance_invariant(chain.state());
  }
}

SCENARIO("unsigned extrinsics: only inherents, and never through the pool") {
  GIVEN("the test chain") {
    TestChain chain;
    WHEN("an unsigned remark is offered") {
      const Bytes xt = unsigned_extrinsic(comp::make_call<system::Module>(system::Remark{{1, 2}}));
      THEN("the pool has no validator for it and a block refuses it") {
        CHECK(validity_text(chain.validate(xt)) == validity_text(UnknownTransaction::NoUnsignedValidator));
        const auto with = chain.run_block({xt});
        CHECK(std::holds_alternative<runtime::TransactionValidityError>(with.results[0]));
        CHECK(with.changes == chain.run_block({}).changes);
      }
    }
    WHEN("the timestamp inherent is submitted to the pool") {
      const Bytes xt = timestamp_inherent((kFirstSlot + 5) * kSlotDurationMs);
      THEN("it is refused as MandatoryValidation from any source") {
        for (auto source : {comp::TransactionSource::External, comp::TransactionSource::Local})
          CHECK(validity_text(chain.validate(xt, source)) == validity_text(InvalidTransaction::MandatoryValidation));
      }
    }
    require_issuance_invariant(chain.state());
  }
}

// Substrate's executive refuses every Mandatory-class call in validate_transaction
// (MandatoryValidation) whoever signs it, and a block must not keep any write of an extrinsic that
// apply_extrinsic refuses.
SCENARIO("a signed Timestamp.set is refused without a trace") {
  GIVEN("the test chain and Bob's signed Timestamp.set") {
    TestChain chain;
    const Bytes xt =
        chain.sign("Bob", comp::make_call<timestamp::Module>(timestamp::Set{{(kFirstSlot + 5) * kSlotDurationMs}}));
    WHEN("it is validated for the pool") {
      THEN("it is refused as MandatoryValidation (it would otherwise be free: Mandatory calls pay no fee)") {
        CHECK(validity_text(chain.validate(xt)) == validity_text(InvalidTransaction::MandatoryValidation));
      }
    }
    WHEN("it is offered to a block after the inherent") {
      THEN("it is refused and Bob's nonce is not bumped") {
        const auto with = chain.run_block({xt});
        CHECK(std::holds_alternative<runtime::TransactionValidityError>(with.results[0]));
        MemoryState after = chain.state();
        after.apply(with.changes);
        CHECK(comp::account_nonce(after, dev_account("Bob")) == 0);
        CHECK(with.changes == chain.run_block({}).changes);
      }
    }
  }
}

SCENARIO("validate_transaction describes a valid transaction for the pool") {
  GIVEN("the test chain at genesis") {
    TestChain chain;
    WHEN("Bob's immortal transfer with a tip is validated") {
      const Bytes xt = chain.sign("Bob", transfer("Charlie", runtime::kUnitsPerCC), {.tip = 12'345});
      auto validity = chain.validate(xt);
      THEN("priority is the tip, it provides (Bob, 0), requires nothing and lives forever") {
        REQUIRE(std::holds_alternative<runtime::ValidTransaction>(validity));
        const auto& valid = std::get<runtime::ValidTransaction>(validity);
        CHECK(valid.priority == 12'345);
        CHECK(valid.provides_tags == std::vector<Bytes>{nonce_tag(dev_account("Bob"), 0)});
        CHECK(valid.requires_tags.empty());
        CHECK(valid.longevity == UINT64_MAX);
        CHECK(valid.propagate);
      }
    }
    WHEN("a 64-block mortal transfer is validated at genesis (next block 1)") {
      const Bytes xt = chain.sign("Bob", transfer("Charlie", runtime::kUnitsPerCC), {.era = Era::mortal(64, 0)});
      auto validity = chain.validate(xt);
      THEN("its longevity is the blocks left in the era") {
        REQUIRE(std::holds_alternative<runtime::ValidTransaction>(validity));
        CHECK(std::get<runtime::ValidTransaction>(validity).longevity == 63);
        CHECK(std::get<runtime::ValidTransaction>(validity).priority == 0);
      }
    }
    WHEN("Charlie's transactions with nonces 0, 1 and 2 are validated") {
      std::vector<runtime::ValidTransaction> valid;
      for (Nonce n = 0; n < 3; ++n) {
        auto v = chain.validate(chain.sign("Charlie", transfer("Dave", runtime::kUnitsPerCC), {.nonce = n}));
        REQUIRE(std::holds_alternative<runtime::ValidTransaction>(v));
        valid.push_back(std::get<runtime::ValidTransaction>(v));
      }
      THEN("each one after the first requires the tag its predecessor provides") {
        CHECK(valid[0].requires_tags.empty());
        CHECK(valid[1].requires_tags == valid[0].provides_tags);
        CHECK(valid[2].requires_tags == valid[1].provides_tags);
        CHECK(valid[0].provides_tags != valid[1].provides_tags);
      }
    }
    require_issuance_invariant(chain.state());
  }
}

}  // namespace
}  // namespace bazaar::test::composition
