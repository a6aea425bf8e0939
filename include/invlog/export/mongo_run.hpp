// One `export mongo` run as the MongoDB module performs it: the destination
// as given, the exporter's options, how to open the inventory and where to
// report. The command line parses its arguments into this; the module knows
// nothing of the command line.
#pragma once

#include <functional>
#include <memory>
#include <optional>
#include <string>

#include "invlog/export/mongo_export.hpp"
#include "invlog/store/event_store.hpp"

namespace invlog::exporter {

struct MongoRun {
    std::string uri;                      // as given, secrets included
    std::optional<std::string> database;  // empty: the URI's, else inventory
    std::string collection;
    MongoExportOptions options;
    // Opens the inventory; called once the destination is known to be valid,
    // so that a bad URI is reported before a missing file.
    std::function<std::unique_ptr<store::EventStore>()> open_store;
};

// Where a run reports: the exporter's hooks (progress, warnings, waiting,
// stopping) and the summary line at the end ("exported 3 events ...").
struct MongoRunOutput {
    ExportHooks hooks;
    std::function<void(const std::string& summary)> summary = [](const std::string&) {};
};

// Parses the destination, opens the inventory, exports, reports the summary.
// Throws domain::Failure as export_to_mongo does.
void run_export_mongo(const MongoRun& run, const MongoRunOutput& output);

}  // namespace invlog::exporter
