// Read queries: the read model for current state, replay of the log for
// states in the past and for history.
#pragma once

#include <functional>
#include <optional>
#include <string>

#include "invlog/domain/record.hpp"
#include "invlog/store/event_store.hpp"

namespace invlog::app {

// A point in a SKU's past: its state after a version, or as of a time.
struct At {
    std::optional<std::int64_t> version;
    std::optional<domain::Millis> time;
};

// The current state from the read model; throws not_found.
domain::SkuState current_state(store::EventStore& store, const std::string& sku);

// The state replayed up to a point; throws not_found when the SKU did not
// exist then (or has fewer versions).
domain::SkuState state_at(store::EventStore& store, const std::string& sku, const At& at);

// Every SKU's current state, in SKU order.
void for_each_current(store::EventStore& store, const std::function<void(const domain::SkuState&)>& fn);

// Throws not_found unless the log has an event with this seq (0 always passes).
void require_seq(store::EventStore& store, std::int64_t seq);

// Every SKU's state at a point of the log (a seq or a time), in SKU order,
// replayed from the events and snapshots (never the read model); SKUs created
// after the point are left out. Throws not_found for a seq past the head.
void for_each_state_at(store::EventStore& store, const store::Point& at,
                       const std::function<void(const domain::SkuState&)>& fn);

// The events of one SKU within [since, until], each with the state right
// after it. Throws not_found when the SKU has no events at all.
struct HistoryQuery {
    std::string sku;
    std::optional<domain::Millis> since;
    std::optional<domain::Millis> until;
};
void for_each_history(store::EventStore& store, const HistoryQuery& query,
                      const std::function<void(const domain::EventRecord&, const domain::State&)>& fn);

}  // namespace invlog::app
