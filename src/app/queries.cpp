// Read queries.
#include "invlog/app/queries.hpp"

#include <fmt/format.h>

#include "invlog/domain/error.hpp"
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
    store::EventFilter filter;
    filter.sku = sku;
    filter.max_version = at.version;
    filter.until = at.time;
    domain::SkuState result{sku, {}, 0};
    store.for_each_event(filter, [&](const domain::EventRecord& e) {
        result.state = domain::evolve(result.state, e.event);
        result.updated_at = e.recorded_at;
        return true;
    });
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

void for_each_history(store::EventStore& store, const HistoryQuery& query,
                      const std::function<void(const domain::EventRecord&, const domain::State&)>& fn) {
    store::EventFilter filter;
    filter.sku = query.sku;
    filter.until = query.until;
    domain::State state;
    // Replays from the first event so that each row carries the state after
    // it; rows before `since` only advance the state.
    store.for_each_event(filter, [&](const domain::EventRecord& e) {
        state = domain::evolve(state, e.event);
        if (!query.since || e.recorded_at >= *query.since) fn(e, state);
        return true;
    });
    if (!state.exists() && !store.read_state(query.sku)) throw not_found(query.sku);
}

}  // namespace invlog::app
