// invlog rebuild
#include <CLI/CLI.hpp>

#include <fmt/format.h>

#include <memory>
#include <optional>

#include "invlog/app/upkeep.hpp"
#include "invlog/cli/progress.hpp"
#include "invlog/cli/subcommand.hpp"
#include "invlog/cli/warning.hpp"
#include "invlog/output/report.hpp"

namespace invlog::cli {

Subcommand rebuild_subcommand() {
    return {"rebuild", Group::maintenance, "Recompute the read model and the snapshots from the events",
            [](CLI::App& app) -> Perform {
                auto force = std::make_shared<bool>(false);
                app.add_flag("--force", *force,
                             "Rebuild even when the read model is ahead of the log (its newest events were "
                             "removed): accept the shorter log and drop the idempotency keys of the lost commands");
                return [force](Context& ctx) {
                    auto store = ctx.open_store(store::OpenMode::write);
                    std::optional<Progress> progress;
                    auto result = app::rebuild(
                        *store,
                        [&](std::int64_t done, std::int64_t total) {
                            if (!progress) progress.emplace("rebuild", total, ctx.progress());
                            progress->update(done);
                        },
                        *force);
                    progress.reset();
                    if (result.implied_head_seq)
                        print_warning("shorter_log",
                                      fmt::format("the read model implied head seq {}; rebuilt from the log's head, "
                                                  "seq {}; {} idempotency key{} of lost commands dropped",
                                                  *result.implied_head_seq, result.head_seq, result.dropped_keys,
                                                  result.dropped_keys == 1 ? "" : "s"),
                                      ctx.format());
                    if (ctx.quiet()) return;
                    output::Report report;
                    report.summary = {{"database", store->path()},
                                      {"events", result.events},
                                      {"skus", result.skus},
                                      {"snapshots", result.snapshots},
                                      {"snapshot_every", result.snapshot_every},
                                      {"dropped_idempotency_keys", result.dropped_keys}};
                    ctx.write(output::render_report(report, ctx.format(), ctx.style()));
                };
            }};
}

}  // namespace invlog::cli
