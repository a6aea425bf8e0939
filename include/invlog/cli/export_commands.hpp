// The subcommands nested under `invlog export`, each in its own file.
#pragma once

#include <string>

#include "invlog/cli/subcommand.hpp"
#include "invlog/export/seed.hpp"

namespace invlog::cli {

// --compat MODE: native or seed; a usage Failure otherwise.
exporter::Compat parse_compat_option(const std::string& text);

// invlog export mongo: replicate the log into a MongoDB collection.
Perform describe_export_mongo(CLI::App& app);
// invlog export file: write the log as Extended JSON or ndjson lines.
Perform describe_export_file(CLI::App& app);

}  // namespace invlog::cli
