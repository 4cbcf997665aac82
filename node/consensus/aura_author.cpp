#include "node/consensus/aura_author.hpp"

#include "modules/composition/executive.hpp"
#include "node/log/log.hpp"

#include <algorithm>

namespace bazaar::node::consensus {

namespace composition = modules::composition;

namespace {

const std::shared_ptr<spdlog::logger>& aura_log() {
  static const auto logger = log::logger("aura");
  return logger;
}

}  // namespace

AuraAuthor::AuraAuthor(chain::Chain& chain, txpool::TxPool* pool, const SlotClock& clock, AuraAuthorOptions options)
    : m_chain(chain), m_pool(pool), m_clock(clock), m_options(std::move(options)) {}

AuraAuthor::~AuraAuthor() { stop(); }

Result<std::optional<AuthoredBlock>> AuraAuthor::author_slot(Slot slot) {
  std::lock_guard lock(m_mutex);
  const chain::BlockInfo parent = m_chain.best();
  auto parent_header = m_chain.blocks().require_header(parent.hash);
  if (!parent_header) return AuthorError::DatabaseError;
  const Slot parent_slot = parent.number == 0 ? 0 : chain::aura_slot(parent_header.value()).value_or(0);
  if (slot <= parent_slot) return std::optional<AuthoredBlock>{};

  auto state = m_chain.state_at(parent.hash);
  if (!state) return AuthorError::StateUnavailable;
  const auto authorities = composition::aura_authorities(*state.value());
  const uint64_t slot_duration = std::max<uint64_t>(1, composition::slot_duration_ms(*state.value()));
  if (authorities.empty()) {
    aura_log()->warn("no Aura authorities in the state of {}: not authoring", runtime::to_hex(parent.hash));
    return std::optional<AuthoredBlock>{};
  }
  const auto& expected = authorities[slot % authorities.size()];
  const auto key = std::find_if(m_options.keys.begin(), m_options.keys.end(),
                                [&](const auto& k) { return k.public_key() == expected; });
  if (key == m_options.keys.end()) return std::optional<AuthoredBlock>{};

  ProposeLimits limits;
  limits.budget = std::chrono::milliseconds(static_cast<int64_t>(slot_duration * m_options.proposal_fraction));
  limits.max_skipped = m_options.max_skipped;
  BAZAAR_TRY(auto proposal, propose_block(m_chain, parent, slot, *key, m_pool, limits));

  auto imported = m_chain.import_block(proposal.block);
  if (!imported) {
    aura_log()->error("slot {}: our block #{} failed to import: {}: {}", slot, parent.number + 1,
                      chain::to_string(imported.error().reason), imported.error().message);
    return AuthorError::ImportFailed;
  }
  AuthoredBlock authored{imported.value().block, slot, proposal.transactions, proposal.invalid, false};
  aura_log()->info("authored #{} {} at slot {} with {} transaction(s)", authored.block.number,
                   runtime::to_hex(authored.block.hash), slot, authored.transactions);

  if (m_options.dev_finality && authorities.size() == 1 && parent.number > m_chain.finalized().number) {
    if (auto finalized = m_chain.finalize(parent.hash); finalized) {
      authored.finalized_parent = true;
    } else {
      aura_log()->error("finalizing #{} failed: {}", parent.number, finalized.error().message());
    }
  }
  return std::optional<AuthoredBlock>{authored};
}

void AuraAuthor::start() {
  if (m_thread.joinable()) return;
  m_thread = std::jthread([this](std::stop_token stop) { run(std::move(stop)); });
}

void AuraAuthor::stop() {
  if (!m_thread.joinable()) return;
  m_thread.request_stop();
  m_thread.join();
}

void AuraAuthor::run(std::stop_token stop) {
  Slot last = 0;
  while (!stop.stop_requested()) {
    uint64_t duration = 1000;
    if (auto state = m_chain.state_at(m_chain.best().hash))
      duration = std::max<uint64_t>(1, composition::slot_duration_ms(*state.value()));
    const Slot slot = slot_at(m_clock.now_ms(), duration);
    if (slot > last) {
      last = slot;
      if (auto authored = author_slot(slot); !authored)
        aura_log()->warn("slot {}: no block: {}", slot, authored.error().message());
    }
    if (!m_clock.wait_until(slot_start(slot + 1, duration), stop)) break;
  }
}

}  // namespace bazaar::node::consensus
