// invlog show SKU [--as-of TIME | --at-version N]
#include <iostream>

#include <CLI/CLI.hpp>
#include <fmt/format.h>

#include "invlog/app/queries.hpp"
#include "invlog/cli/parse.hpp"
#include "invlog/cli/subcommand.hpp"
#include "invlog/cli/warning.hpp"
#include "invlog/output/render.hpp"

namespace invlog::cli {

Subcommand show_subcommand() {
    return {"show", Group::read, "Show a SKU's state, now or at a past time or version", [](CLI::App& app) -> Perform {
                struct Args {
                    std::string sku, as_of, at_version;
                };
                auto args = std::make_shared<Args>();
                app.add_option("SKU", args->sku, "The SKU")->required();
                auto* as_of = app.add_option("--as-of", args->as_of,
                                             "State as of TIME (RFC 3339, or YYYY-MM-DD for the end of that day, UTC)")
                                  ->type_name("TIME");
                app.add_option("--at-version", args->at_version, "State right after version N")
                    ->type_name("N")
                    ->excludes(as_of);
                return [args](Context& ctx) {
                    const std::string sku = parse_sku(args->sku);
                    app::At at;
                    if (!args->as_of.empty()) at.time = parse_time_arg(args->as_of, "--as-of");
                    if (!args->at_version.empty())
                        at.version = parse_count(args->at_version, "--at-version", 1, INT64_MAX);
                    auto shown = ctx.inventory(store::OpenMode::read)->show(client::ShowQuery{sku, at});
                    std::optional<output::Resolved> resolved;
                    if (shown.resolved_version) {
                        resolved = output::Resolved{"resolved_version", *shown.resolved_version};
                        if (*shown.resolved_version != *at.version)
                            print_note(fmt::format("version {} of {} falls inside a command, a state that never "
                                                   "existed; showing version {}, the end of the last complete command "
                                                   "before it",
                                                   *at.version, sku, *shown.resolved_version),
                                       ctx.format());
                    }
                    ctx.write(output::render_state(shown.state, ctx.format(), ctx.style(), {}, resolved));
                };
            }};
}

}  // namespace invlog::cli
