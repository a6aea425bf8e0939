// The subcommands nested under `invlog export`, each in its own file.
#pragma once

#include <string>

#include "invlog/cli/subcommand.hpp"

namespace invlog::cli {

struct ExportMongoArgs {
    std::string uri, database, collection = "events", state_collection = "inventory", batch, sku, interval;
    bool from_start = false, follow = false, with_state = false, dry_run = false;
};

// Runs `export mongo` (in the MongoDB module).
void run_export_mongo(Context& ctx, const ExportMongoArgs& args);

// invlog export mongo: replicate the log into a MongoDB collection.
Perform describe_export_mongo(CLI::App& app);
// invlog export file: write the log as Extended JSON or ndjson lines.
Perform describe_export_file(CLI::App& app);

}  // namespace invlog::cli
