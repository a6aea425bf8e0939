// invlog rebuild
#include <CLI/CLI.hpp>

#include <optional>

#include "invlog/app/upkeep.hpp"
#include "invlog/cli/progress.hpp"
#include "invlog/cli/subcommand.hpp"
#include "invlog/output/report.hpp"

namespace invlog::cli {

Subcommand rebuild_subcommand() {
    return {"rebuild", Group::maintenance, "Recompute the read model and the snapshots from the events",
            [](CLI::App&) -> Perform {
                return [](Context& ctx) {
                    auto store = ctx.open_store(store::OpenMode::write);
                    std::optional<Progress> progress;
                    auto result = app::rebuild(*store, [&](std::int64_t done, std::int64_t total) {
                        if (!progress) progress.emplace("rebuild", total, ctx.progress());
                        progress->update(done);
                    });
                    progress.reset();
                    if (ctx.quiet()) return;
                    output::Report report;
                    report.summary = {{"database", store->path()},
                                      {"events", result.events},
                                      {"skus", result.skus},
                                      {"snapshots", result.snapshots},
                                      {"snapshot_every", result.snapshot_every}};
                    ctx.write(output::render_report(report, ctx.format(), ctx.style()));
                };
            }};
}

}  // namespace invlog::cli
