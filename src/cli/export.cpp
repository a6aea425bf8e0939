// invlog export mongo|file: the export group, with one nested subcommand per
// destination kind.
#include <CLI/CLI.hpp>
#include <fmt/format.h>

#include "invlog/cli/export_commands.hpp"
#include "invlog/domain/error.hpp"

namespace invlog::cli {
namespace {

// An explicitly empty value (--uri "$UNSET") must not fall back to a default
// such as $INVLOG_MONGO_URI: that could export to another server.
void refuse_empty_values(const CLI::App& app) {
    for (const CLI::Option* opt : app.get_options()) {
        if (opt->get_positional() || opt->get_type_size() == 0 || opt->count() == 0) continue;
        for (const auto& value : opt->results())
            if (value.empty())
                throw domain::usage_error("invalid_argument",
                                          fmt::format("invalid {} '': must not be empty", opt->get_name()));
    }
}

}  // namespace

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
                        if (n.app->parsed()) {
                            refuse_empty_values(*n.app);
                            n.perform(ctx);
                        }
                };
            }};
}

}  // namespace invlog::cli
