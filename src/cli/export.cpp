// invlog export mongo|file: the export group, with one nested subcommand per
// destination kind.
#include <CLI/CLI.hpp>
#include <fmt/format.h>

#include "invlog/cli/export_commands.hpp"
#include "invlog/domain/error.hpp"
#include "invlog/domain/text.hpp"

namespace invlog::cli {

exporter::Compat parse_compat_option(const std::string& text) {
    if (auto compat = exporter::parse_compat(text)) return *compat;
    throw domain::usage_error("invalid_argument",
                              fmt::format("invalid --compat '{}': expected seed or native", domain::shown(text)));
}

Subcommand export_subcommand() {
    return {"export", Group::export_, "Export the event log to MongoDB or to a file", [](CLI::App& app) -> Perform {
                app.require_subcommand(1, 1);
                struct Nested {
                    CLI::App* app;
                    Perform perform;
                };
                auto nested = std::make_shared<std::vector<Nested>>();
                auto add = [&](const char* name, const char* summary, Perform (*describe)(CLI::App&)) {
                    CLI::App* sub = app.add_subcommand(name, summary);
                    // Global options (--db, -o, --no-progress) may follow.
                    sub->fallthrough();
                    nested->push_back({sub, describe(*sub)});
                };
                add("mongo", "Replicate the event log into a MongoDB collection, resumably", describe_export_mongo);
                add("file", "Write the event log as MongoDB Extended JSON or ndjson lines", describe_export_file);
                return [nested](Context& ctx) {
                    for (auto& n : *nested)
                        if (n.app->parsed()) n.perform(ctx);
                };
            }};
}

}  // namespace invlog::cli
