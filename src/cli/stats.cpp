// invlog stats
#include <CLI/CLI.hpp>

#include "invlog/app/upkeep.hpp"
#include "invlog/cli/subcommand.hpp"
#include "invlog/output/audit_reports.hpp"

namespace invlog::cli {

Subcommand stats_subcommand() {
    return {"stats", Group::audit, "Show the size and shape of the database", [](CLI::App&) -> Perform {
                return [](Context& ctx) {
                    const app::Stats s = ctx.inventory(store::OpenMode::read)->stats();
                    ctx.write(output::render_report(output::stats_report(s), ctx.format(), ctx.style()));
                };
            }};
}

}  // namespace invlog::cli
