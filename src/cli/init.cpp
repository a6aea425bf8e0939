// invlog init
#include <CLI/CLI.hpp>
#include <fmt/format.h>

#include "invlog/cli/subcommand.hpp"
#include "invlog/output/report.hpp"
#include "invlog/store/schema.hpp"

namespace invlog::cli {

Subcommand init_subcommand() {
    return {"init", Group::maintenance, "Create an empty database (or upgrade an older one)", [](CLI::App&) -> Perform {
                return [](Context& ctx) {
                    // Opening for writing creates the schema in a missing or
                    // empty file and upgrades an older one; a file of another
                    // program or of a newer invlog is refused untouched.
                    auto store = ctx.open_store(store::OpenMode::write);
                    if (ctx.quiet()) return;
                    if (ctx.format() == output::Format::text) {
                        if (store->created())
                            ctx.write(
                                fmt::format("created {} (schema version {})\n", store->path(), store::schema_version));
                        else if (store->upgraded() > 0)
                            ctx.write(fmt::format("upgraded {} to schema version {}\n", store->path(),
                                                  store::schema_version));
                        else
                            ctx.write(fmt::format("{} is already an invlog database (schema version {})\n",
                                                  store->path(), store::schema_version));
                        return;
                    }
                    output::Report report;
                    report.summary = {{"database", store->path()},
                                      {"schema_version", store::schema_version},
                                      {"created", store->created()},
                                      {"upgraded", store->upgraded() > 0}};
                    ctx.write(output::render_report(report, ctx.format(), ctx.style()));
                };
            }};
}

}  // namespace invlog::cli
