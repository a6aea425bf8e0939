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
                    store::Point at;
                    if (!args->as_of.empty()) at.until = parse_time_arg(args->as_of, "--as-of");
                    if (!args->at_seq.empty()) at.max_seq = parse_count(args->at_seq, "--at-seq", 0, INT64_MAX);
                    auto store = ctx.open_store(store::OpenMode::read);
                    std::optional<output::Resolved> resolved;
                    if (at.max_seq) {
                        // Before any output: a seq past the head fails here.
                        const std::int64_t asked = *at.max_seq;
                        at.max_seq = app::resolve_seq(*store, asked);
                        resolved = output::Resolved{"resolved_seq", *at.max_seq};
                        if (*at.max_seq != asked && ctx.format() == output::Format::text)
                            std::cerr << fmt::format(
                                "invlog: note: seq {} falls inside a command, a state that never existed; showing seq "
                                "{}, the end of the last complete command before it\n",
                                asked, *at.max_seq);
                    }
                    output::StateListRenderer renderer(ctx.format(), ctx.style(), resolved);
                    ctx.write(renderer.begin());
                    auto add = [&](const domain::SkuState& s) { ctx.write(renderer.add(s)); };
                    if (at.until || at.max_seq)
                        app::for_each_state_at(*store, at, add);
                    else
                        app::for_each_current(*store, add);
                    ctx.write(renderer.finish());
                };
            }};
}

}  // namespace invlog::cli
