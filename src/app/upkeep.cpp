// rebuild and stats.
#include "invlog/app/upkeep.hpp"

#include <filesystem>
#include <limits>

#include <fmt/format.h>

#include "invlog/domain/error.hpp"
#include "invlog/util/crypto.hpp"

namespace invlog::app {

namespace {

domain::Failure ahead_of_log(const store::EventStore& store, const store::AheadOfLog& ahead, const store::Head& head) {
    std::string examples;
    for (const auto& e : ahead.examples) examples += fmt::format("; {}", e);
    return domain::Failure(
        domain::ErrorKind::integrity, "derived_ahead_of_log",
        fmt::format("cannot rebuild {}: the derived data is ahead of the log ({} read-model rows, {} snapshots, {} "
                    "idempotency keys past the last event of their SKU{}). The read model implies head seq {}; the "
                    "log's head is seq {}{}: its newest events were removed. Nothing was changed. Restore the file "
                    "from a backup, or run 'invlog rebuild --force' to accept the shorter log",
                    store.path(), ahead.inventory_rows, ahead.snapshots, ahead.idempotency_keys, examples,
                    ahead.implied_head_seq, head.seq,
                    head.seq > 0 ? fmt::format(" ({})", util::to_hex(head.hash)) : std::string()));
}

}  // namespace

RebuildResult rebuild(store::EventStore& store, const ProgressFn& progress, bool force) {
    store::EventStore::Transaction tx(store, true);
    RebuildResult result;
    result.snapshot_every = store.snapshot_every();
    const store::Head head = store.head();
    const std::int64_t total = head.seq;
    result.head_seq = head.seq;
    // Rebuilding from a log that lost its end would make it verify again.
    if (auto ahead = store.derived_ahead_of_log(); ahead.any()) {
        if (!force) throw ahead_of_log(store, ahead, head);
        result.implied_head_seq = ahead.implied_head_seq;
        result.dropped_keys = store.delete_keys_ahead_of_log();
    }
    store.clear_derived();

    // SKU by SKU, so that only one SKU's state is held at a time.
    domain::SkuState current;
    auto flush = [&] {
        if (!current.state.exists()) return;
        store.write_state(current);
        ++result.skus;
    };
    store::EventFilter all;
    all.order = store::Order::sku_version;
    store.for_each_raw(all, [&](const store::RawEvent& e) {
        auto event = store::decode_data(e.event_type, e.data);
        if (!event)
            throw domain::Failure(domain::ErrorKind::integrity, "undecodable_event",
                                  fmt::format("cannot rebuild: event seq {} of {} ({}) cannot be decoded; nothing was "
                                              "changed (run 'invlog verify')",
                                              e.seq, e.sku, e.event_type));
        if (e.sku != current.sku) {
            flush();
            current = domain::SkuState{e.sku, {}, 0};
        }
        if (current.state.version == std::numeric_limits<std::int64_t>::max() || e.version != current.state.version + 1)
            throw domain::Failure(domain::ErrorKind::integrity, "version_gap",
                                  fmt::format("cannot rebuild: seq {} is {} version {}, after version {}; nothing was "
                                              "changed (run 'invlog verify')",
                                              e.seq, e.sku, e.version, current.state.version));
        current.state = domain::evolve(current.state, *event);
        current.updated_at = e.recorded_at;
        if (result.snapshot_every > 0 && current.state.version % result.snapshot_every == 0) {
            store.save_snapshot(store::Snapshot{e.sku, current.state, e.seq, e.recorded_at, {}}, e.hash);
            ++result.snapshots;
        }
        ++result.events;
        if (progress && result.events % 1024 == 0) progress(result.events, total);
        return true;
    });
    flush();
    tx.commit();
    return result;
}

Stats stats(store::EventStore& store) {
    store::EventStore::Transaction tx(store, false);
    Stats s;
    s.path = store.path();
    // A store that is not a file (MongoDB) has no file size: null.
    std::error_code ec;
    const auto bytes = std::filesystem::file_size(s.path, ec);
    if (!ec) s.file_bytes = static_cast<std::int64_t>(bytes);
    s.schema_version = store.format();
    s.snapshot_every = store.snapshot_every();
    s.counts = store.counts();
    s.head = store.head();
    tx.commit();
    return s;
}

}  // namespace invlog::app
