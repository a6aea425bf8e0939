// Replication of the event log into a MongoDB collection: batches after the
// destination's stored position, upserted by _id, the position advanced only
// once the server has acknowledged a batch with the write concern; with
// follow, new events as they are appended, until the caller asks to stop.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>

#include "invlog/export/compat.hpp"
#include "invlog/export/mongo_target.hpp"
#include "invlog/store/event_store.hpp"

namespace invlog::exporter {

struct MongoExportOptions {
    std::optional<std::string> sku;
    std::int64_t batch = 1000;
    bool from_start = false;
    bool follow = false;
    std::chrono::milliseconds interval{1000};
    bool with_state = false;
    // Never the events collection (refused, exit 2). It used to be
    // "inventory", where a reference reader looks for events.
    std::string state_collection = "inventory_state";
    Compat compat = Compat::native;
    bool dry_run = false;  // read and count, contact no server, change nothing
};

struct ExportSummary {
    std::int64_t events = 0;
    std::int64_t batches = 0;
    std::int64_t first_seq = 0;  // 0 when nothing was sent
    std::int64_t last_seq = 0;
    std::int64_t position = 0;  // the destination's position at the end
    std::chrono::steady_clock::duration elapsed{};
};

// What the exporter needs from its caller: progress reports, warnings, the
// passage of time and the operator's wish to stop.
struct ExportHooks {
    std::function<void(std::int64_t sent, std::int64_t total)> progress = [](std::int64_t, std::int64_t) {};
    std::function<void(const std::string&)> warn = [](const std::string&) {};
    // Waits for a while; false when a stop was requested meanwhile.
    std::function<bool(std::chrono::milliseconds)> wait = [](std::chrono::milliseconds) { return false; };
    std::function<bool()> stop_requested = [] { return false; };
};

// Runs the export. Throws domain::Failure (a MongoFailure for the server's
// errors) whose message says how far the export got. With follow, transient
// failures are reported through warn and retried with a growing delay.
ExportSummary export_to_mongo(store::EventStore& store, const MongoTarget& target, const MongoExportOptions& options,
                              const ExportHooks& hooks);

// The one-line summary: "exported 3 events in 1 batch (seq 1..3) to
// mongodb://host:27017/inventory.events in 0.2 s".
std::string summary_line(const ExportSummary& summary, const std::string& destination, bool dry_run);

}  // namespace invlog::exporter
