// verify: proves that a file is what invlog wrote. One streaming pass over
// the events in seq order checks the hash chain, seq, versions, storage
// types, decoding, recorded values and the invariant after every command,
// event ids and the clock, compares each snapshot with the replay at its
// version and its hash, and decides each command with an idempotency key
// again from its fingerprint; then the read model, stray snapshots, the
// idempotency table, the settings and the storage types of the other tables
// are checked. The per-SKU checks (replay, versions, snapshots, commands,
// read model) run in that pass while the SKUs seen number at most
// VerifyOptions::sku_limit; past it they run in a second pass SKU by SKU
// instead, which finds the same problems in the same order. Memory grows with
// the number of problems found and at most up to that limit with SKUs, never
// with the number of events.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "invlog/domain/record.hpp"
#include "invlog/store/event_store.hpp"

namespace invlog::app {

// The event at `seq` must have `hash` (lowercase hex).
struct Expectation {
    std::int64_t seq = 0;
    std::string hash;
};

struct VerifyOptions {
    std::vector<Expectation> expect;
    std::optional<std::string> expect_head;  // the head's hash, lowercase hex
    // Called now and then with the events checked so far and the head seq.
    std::function<void(std::int64_t done, std::int64_t total)> progress;
    // How many SKUs the pass in seq order keeps the replayed state of (about
    // 120 bytes each). Past it, and when the store can read its events SKU by
    // SKU, the per-SKU checks run in a second pass SKU by SKU instead, merged
    // with the read model, in memory that does not grow with SKUs.
    std::size_t sku_limit = 65536;
};

// One thing found wrong. seq names the event it concerns (0 when none does,
// as for a read-model row of a SKU without events), sku the SKU when known.
struct Problem {
    std::int64_t seq = 0;
    std::string sku;
    std::string code;
    std::string message;
};

struct VerifyReport {
    std::int64_t events = 0;
    std::int64_t skus = 0;
    std::int64_t snapshots = 0;         // snapshots compared with the replay
    std::int64_t idempotency_keys = 0;  // entries compared with the events
    std::optional<domain::Millis> first_recorded_at;
    std::optional<domain::Millis> last_recorded_at;
    std::int64_t head_seq = 0;
    std::string head_hash;  // empty when the log is empty
    // The per-SKU checks ran in a pass of their own, SKU by SKU (more SKUs
    // than VerifyOptions::sku_limit).
    bool sku_pass = false;
    std::vector<Problem> problems;  // in seq order; those without a seq last
    // Things worth knowing that are not damage (clock_behind): they do not
    // fail verification. In seq order.
    std::vector<Problem> notices;

    bool ok() const { return problems.empty(); }
};

VerifyReport verify(store::EventStore& store, const VerifyOptions& options);

}  // namespace invlog::app
