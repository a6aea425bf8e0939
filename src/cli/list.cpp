// invlog list [--as-of TIME | --at-seq N]
#include <iostream>

#include <CLI/CLI.hpp>
#include <fmt/format.h>

#include "invlog/app/queries.hpp"
#include "invlog/cli/parse.hpp"
#include "invlog/cli/subcommand.hpp"
#include "invlog/output/render.hpp"

namespace invlog::cli {

Subcommand list_subcommand() {
    return {"list", Group::read, "List every SKU's state, now or at a past time or seq", [](CLI::App& app) -> Perform {
                struct Args {
                    std::string as_of, at_seq;
                };
                auto args = std::make_shared<Args>();
                auto* as_of = app.add_option("--as-of", args->as_of,
                                             "Every SKU as of TIME (RFC 3339, or YYYY-MM-DD for the end of that day, "
                                             "UTC), replayed from the log")
                                  ->type_name("TIME");
                app.add_option("--at-seq", args->at_seq, "Every SKU right after the event with seq N")
                    ->type_name("N")
                    ->excludes(as_of);
                return [args](Context& ctx) {
                    client::ListQuery query;
                    if (!args->as_of.empty()) query.as_of = parse_time_arg(args->as_of, "--as-of");
                    if (!args->at_seq.empty()) query.at_seq = parse_count(args->at_seq, "--at-seq", 0, INT64_MAX);
                    std::optional<output::StateListRenderer> renderer;
                    // The list opens once the query is known to hold (a seq past the
                    // head fails before any output).
                    auto start = [&](const client::ListStart& head) {
                        std::optional<output::Resolved> resolved;
                        if (head.resolved_seq) {
                            resolved = output::Resolved{"resolved_seq", *head.resolved_seq};
                            if (*head.resolved_seq != *query.at_seq && ctx.format() == output::Format::text)
                                std::cerr << fmt::format(
                                    "invlog: note: seq {} falls inside a command, a state that never existed; showing "
                                    "seq {}, the end of the last complete command before it\n",
                                    *query.at_seq, *head.resolved_seq);
                        }
                        renderer.emplace(ctx.format(), ctx.style(), resolved);
                        ctx.write(renderer->begin());
                    };
                    ctx.inventory(store::OpenMode::read)
                        ->list(query, start, [&](const domain::SkuState& s) { ctx.write(renderer->add(s)); });
                    ctx.write(renderer->finish());
                };
            }};
}

}  // namespace invlog::cli
