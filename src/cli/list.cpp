// invlog list [--as-of TIME | --at-seq N]
#include <CLI/CLI.hpp>

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
                    if (at.max_seq) app::require_seq(*store, *at.max_seq);  // before any output
                    output::StateListRenderer renderer(ctx.format(), ctx.style());
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
