// invlog list [--as-of TIME | --at-seq N] [--below N] [--sku GLOB]
#include <fnmatch.h>

#include <iostream>

#include <CLI/CLI.hpp>
#include <fmt/format.h>

#include "invlog/app/queries.hpp"
#include "invlog/cli/parse.hpp"
#include "invlog/cli/subcommand.hpp"
#include "invlog/cli/warning.hpp"
#include "invlog/domain/limits.hpp"
#include "invlog/output/render.hpp"

namespace invlog::cli {

Subcommand list_subcommand() {
    return {"list", Group::read, "List every SKU's state, now or at a past time or seq", [](CLI::App& app) -> Perform {
                struct Args {
                    std::string as_of, at_seq, below, sku;
                };
                auto args = std::make_shared<Args>();
                auto* as_of = app.add_option("--as-of", args->as_of,
                                             "Every SKU as of TIME (RFC 3339, or YYYY-MM-DD for the end of that day, "
                                             "UTC), replayed from the log")
                                  ->type_name("TIME");
                app.add_option("--at-seq", args->at_seq, "Every SKU right after the event with seq N")
                    ->type_name("N")
                    ->excludes(as_of);
                app.add_option("--below", args->below, "Only SKUs whose available quantity is under N (low stock)")
                    ->type_name("N");
                app.add_option("--sku", args->sku, "Only SKUs that match GLOB (* ? [...], as the shell matches names)")
                    ->type_name("GLOB");
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
                            if (*head.resolved_seq != *query.at_seq)
                                print_note(fmt::format("seq {} falls inside a command, a state that never existed; "
                                                       "showing seq {}, the end of the last complete command before it",
                                                       *query.at_seq, *head.resolved_seq),
                                           ctx.format());
                        }
                        renderer.emplace(ctx.format(), ctx.style(), resolved);
                        ctx.write(renderer->begin());
                    };
                    std::optional<std::int64_t> below;
                    if (!args->below.empty()) below = parse_count(args->below, "--below", 0, INT64_MAX);
                    std::optional<std::string> glob;
                    if (!args->sku.empty()) glob = parse_text(args->sku, "--sku", domain::max_sku_length * 4);
                    ctx.inventory(store::OpenMode::read)->list(query, start, [&](const domain::SkuState& s) {
                        if (below && s.state.available_quantity >= *below) return;
                        if (glob && fnmatch(glob->c_str(), s.sku.c_str(), 0) != 0) return;
                        ctx.write(renderer->add(s));
                    });
                    ctx.write(renderer->finish());
                };
            }};
}

}  // namespace invlog::cli
