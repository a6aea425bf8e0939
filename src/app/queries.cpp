// Read queries.
#include "invlog/app/queries.hpp"

#include <limits>
#include <set>

#include <fmt/format.h>

#include "invlog/domain/error.hpp"
#include "invlog/store/event_store.hpp"
#include "invlog/util/time.hpp"

namespace invlog::app {

using domain::ErrorKind;
using domain::Failure;

namespace {

Failure not_found(const std::string& sku) {
    return Failure(ErrorKind::not_found, "sku_not_found", fmt::format("SKU {} does not exist", sku));
}

}  // namespace

domain::SkuState current_state(store::EventStore& store, const std::string& sku) {
    auto s = store.read_state(sku);
    if (!s) throw not_found(sku);
    return *s;
}

domain::SkuState state_at(store::EventStore& store, const std::string& sku, const At& at) {
    domain::SkuState result = store.replay(sku, store::Point{at.version, std::nullopt, at.time});
    if (at.version && result.state.version < *at.version) {
        if (!result.state.exists() && !store.read_state(sku)) throw not_found(sku);
        throw Failure(ErrorKind::not_found, "version_not_found",
                      fmt::format("SKU {} has no version {} (it is at version {})", sku, *at.version,
                                  result.state.version));
    }
    if (!result.state.exists()) {
        if (at.time && store.read_state(sku))
            throw Failure(ErrorKind::not_found, "sku_not_found_then",
                          fmt::format("SKU {} did not exist yet at {}", sku, util::format_time(*at.time)));
        throw not_found(sku);
    }
    return result;
}

void for_each_current(store::EventStore& store, const std::function<void(const domain::SkuState&)>& fn) {
    store.for_each_state(fn);
}

void for_each_current(store::EventStore& store, const store::StateRange& range,
                      const std::function<void(const domain::SkuState&)>& fn) {
    store.for_each_state(range, fn);
}

void require_seq(store::EventStore& store, std::int64_t seq) {
    const auto head = store.head();
    if (seq > head.seq)
        throw Failure(ErrorKind::not_found, "seq_not_found",
                      fmt::format("the log has no seq {} (the head is seq {})", seq, head.seq));
}

std::int64_t resolve_seq(store::EventStore& store, std::int64_t seq) {
    require_seq(store, seq);
    return store.last_complete_seq(seq);
}

std::int64_t resolve_version(store::EventStore& store, const std::string& sku, std::int64_t version) {
    return store.last_complete_version(sku, version);
}

void for_each_state_at(store::EventStore& store, const store::Point& at,
                       const std::function<void(const domain::SkuState&)>& fn) {
    // One read transaction, so that every SKU is seen at the same moment.
    store::EventStore::Transaction tx(store, false);
    if (at.max_seq) require_seq(store, *at.max_seq);
    store.for_each_state_at(at, fn);
    tx.commit();
}

void for_each_history(store::EventStore& store, const HistoryQuery& query,
                      const std::function<void(const domain::EventRecord&, const domain::State*)>& fn) {
    // Known before anything is written, so that a missing SKU gives an error
    // and no partial output.
    if (!store.read_state(query.sku)) throw not_found(query.sku);
    store::EventFilter filter;
    filter.sku = query.sku;
    domain::State state;
    // Each row carries the state after it, so replay starts from the nearest
    // snapshot before `since`; events between it and `since` only advance
    // the state.
    if (query.since && *query.since > std::numeric_limits<domain::Millis>::min()) {
        const store::Point before_since{std::nullopt, std::nullopt, *query.since - 1};
        if (auto snapshot = store.nearest_snapshot(query.sku, before_since)) {
            state = snapshot->state;
            filter.after_version = state.version;
        }
    }
    // A row waits for the next event: only then is it known whether its
    // command goes on (and its state never existed). `until` is checked here
    // rather than in the query, so that the event after the last row is seen.
    std::optional<domain::EventRecord> pending;
    domain::State pending_state;
    auto flush = [&](const domain::EventRecord* next) {
        if (!pending) return;
        const bool inside = next && next->meta.command_id == pending->meta.command_id;
        fn(*pending, inside ? nullptr : &pending_state);
        pending.reset();
    };
    store.for_each_event(filter, [&](const domain::EventRecord& e) {
        flush(&e);
        if (query.until && e.recorded_at > *query.until) return false;
        state = domain::evolve(state, e.event);
        if (query.since && e.recorded_at < *query.since) return true;
        pending = e;
        pending_state = state;
        return true;
    });
    flush(nullptr);
}

void for_each_change(store::EventStore& store, const DiffQuery& query, const std::function<void(const DiffRow&)>& fn) {
    if (query.to <= query.from) return;
    // One read transaction, so that both points are seen in the same log.
    store::EventStore::Transaction tx(store, false);
    store::EventFilter filter;
    filter.since = query.from + 1;
    filter.until = query.to;
    std::set<std::string> skus;
    store.for_each_event(filter, [&](const domain::EventRecord& e) {
        skus.insert(e.sku);
        return true;
    });
    for (const auto& sku : skus) {
        DiffRow row;
        auto before = store.replay(sku, store::Point{std::nullopt, std::nullopt, query.from});
        if (before.state.exists()) row.before = std::move(before);
        row.after = store.replay(sku, store::Point{std::nullopt, std::nullopt, query.to});
        fn(row);
    }
    tx.commit();
}

}  // namespace invlog::app
