// The subcommands nested under `invlog export`, each in its own file.
#pragma once

#include "invlog/cli/subcommand.hpp"

namespace invlog::cli {

// invlog export mongo: replicate the log into a MongoDB collection.
Perform describe_export_mongo(CLI::App& app);
// invlog export file: write the log as Extended JSON or ndjson lines.
Perform describe_export_file(CLI::App& app);

}  // namespace invlog::cli
