// rebuild and stats.
#include "invlog/app/upkeep.hpp"

#include <filesystem>

#include <fmt/format.h>

#include "invlog/domain/error.hpp"

namespace invlog::app {

RebuildResult rebuild(store::EventStore& store, const ProgressFn& progress) {
    store::EventStore::Transaction tx(store, true);
    RebuildResult result;
    result.snapshot_every = store.snapshot_every();
    const std::int64_t total = store.head().seq;
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
        if (e.version != current.state.version + 1)
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
    std::error_code ec;
    s.file_bytes = static_cast<std::int64_t>(std::filesystem::file_size(s.path, ec));
    s.schema_version = store.connection().pragma_int("user_version");
    s.snapshot_every = store.snapshot_every();
    s.counts = store::counts(store);
    s.head = store.head();
    tx.commit();
    return s;
}

}  // namespace invlog::app
