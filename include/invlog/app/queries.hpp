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
// exist then (or has fewer versions). The point is taken as it is, even
// between the events of one command (the export needs that state); a point a
// reader names goes through resolve_version first.
domain::SkuState state_at(store::EventStore& store, const std::string& sku, const At& at);

// Positions a reader names (list --at-seq N, show --at-version N) may fall
// between the events of one command: a reservation is STOCK_RESERVED then
// AVAILABLE_QUANTITY_DECREASED, and the state between them never existed for
// any reader and may break the invariant. They resolve to the last complete
// command at or before them. A time cannot fall inside a command: its events
// share one recorded_at.
//
// The seq to show for --at-seq N; throws not_found past the head.
std::int64_t resolve_seq(store::EventStore& store, std::int64_t seq);
// The version to show for --at-version N; a version the SKU does not have
// comes back as it is, for state_at to refuse.
std::int64_t resolve_version(store::EventStore& store, const std::string& sku, std::int64_t version);

// Every SKU's current state, in SKU order; or those of a range (a page).
void for_each_current(store::EventStore& store, const std::function<void(const domain::SkuState&)>& fn);
void for_each_current(store::EventStore& store, const store::StateRange& range,
                      const std::function<void(const domain::SkuState&)>& fn);

// Throws not_found unless the log has an event with this seq (0 always passes).
void require_seq(store::EventStore& store, std::int64_t seq);

// Every SKU's state at a point of the log (a seq or a time), in SKU order,
// replayed from the events and snapshots (never the read model); SKUs created
// after the point are left out. Throws not_found for a seq past the head. A
// seq inside a command is taken as it is: resolve it first (resolve_seq).
void for_each_state_at(store::EventStore& store, const store::Point& at,
                       const std::function<void(const domain::SkuState&)>& fn);

// The events of one SKU within [since, until], each with the state right
// after it; `after` is null for an event that is not the last of its command
// (that state never existed). Throws not_found when the SKU has no events at
// all.
struct HistoryQuery {
    std::string sku;
    std::optional<domain::Millis> since;
    std::optional<domain::Millis> until;
};
void for_each_history(store::EventStore& store, const HistoryQuery& query,
                      const std::function<void(const domain::EventRecord&, const domain::State* after)>& fn);

// What changed between two times (invlog diff): every SKU with an event
// recorded in (from, to], with its state as of `from` (none when it was
// created later) and as of `to`, in SKU order. Only those SKUs are replayed,
// each from its nearest snapshot, not the whole log.
struct DiffQuery {
    domain::Millis from = 0;
    domain::Millis to = 0;
};
struct DiffRow {
    std::optional<domain::SkuState> before;
    domain::SkuState after;
};
void for_each_change(store::EventStore& store, const DiffQuery& query, const std::function<void(const DiffRow&)>& fn);

}  // namespace invlog::app
