// The subcommands nested under `invlog export`, each in its own file.
#pragma once

#include <string>

#include "invlog/cli/subcommand.hpp"
#include "invlog/export/seed.hpp"

namespace invlog::cli {

struct ExportMongoArgs {
    // collection and state_collection: empty for the mode's defaults.
    std::string uri, database, collection, state_collection, batch, sku, interval, compat = "native";
    bool from_start = false, follow = false, with_state = false, dry_run = false;
};

// Runs `export mongo` (in the MongoDB module).
void run_export_mongo(Context& ctx, const ExportMongoArgs& args);

// --compat MODE: native or seed; a usage Failure otherwise.
exporter::Compat parse_compat_option(const std::string& text);

// invlog export mongo: replicate the log into a MongoDB collection.
Perform describe_export_mongo(CLI::App& app);
// invlog export file: write the log as Extended JSON or ndjson lines.
Perform describe_export_file(CLI::App& app);

}  // namespace invlog::cli
