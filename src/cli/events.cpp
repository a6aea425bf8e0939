// invlog events [--sku SKU] [--since TIME] [--until TIME] [--after SEQ] [--limit N] [--follow]
#include <CLI/CLI.hpp>

#include "invlog/cli/follow.hpp"
#include "invlog/cli/parse.hpp"
#include "invlog/cli/subcommand.hpp"
#include "invlog/domain/error.hpp"
#include "invlog/output/render.hpp"

namespace invlog::cli {

Subcommand events_subcommand() {
    return {"events", Group::read, "Show the global event feed in seq order", [](CLI::App& app) -> Perform {
                struct Args {
                    std::string sku, since, until, after, limit;
                    bool follow = false;
                };
                auto args = std::make_shared<Args>();
                app.add_option("--sku", args->sku, "Only the events of SKU")->type_name("SKU");
                app.add_option("--since", args->since, "Only events recorded at or after TIME")->type_name("TIME");
                auto* until =
                    app.add_option("--until", args->until, "Only events recorded at or before TIME")->type_name("TIME");
                app.add_flag("--follow", args->follow,
                             "Keep printing new events as they are committed, until interrupted (not with -o json)")
                    ->excludes(until);
                app.add_option("--after", args->after, "Only events with seq greater than SEQ")->type_name("SEQ");
                app.add_option("--limit", args->limit, "At most N events")->type_name("N");
                return [args](Context& ctx) {
                    store::EventFilter filter;
                    if (!args->sku.empty()) filter.sku = parse_sku(args->sku, "--sku");
                    if (!args->since.empty()) filter.since = parse_time_arg(args->since, "--since");
                    if (!args->until.empty()) filter.until = parse_time_arg(args->until, "--until");
                    if (!args->after.empty()) filter.after_seq = parse_count(args->after, "--after", 0, INT64_MAX);
                    if (!args->limit.empty()) filter.limit = parse_count(args->limit, "--limit", 1, INT64_MAX);
                    if (args->follow) refuse_json_follow(ctx, "events");
                    auto inventory = ctx.inventory(store::OpenMode::read, args->follow);
                    if (args->follow) {
                        output::EventListRenderer renderer(ctx.format(), ctx.style(), false, true);
                        ctx.write(renderer.begin());
                        follow_events(ctx, *inventory, filter,
                                      [&](const domain::EventRecord& e) { ctx.write(renderer.add(e)); });
                        return;
                    }
                    output::EventListRenderer renderer(ctx.format(), ctx.style(), false);
                    ctx.write(renderer.begin());
                    inventory->events(filter, [&](const domain::EventRecord& e) {
                        ctx.write(renderer.add(e));
                        return true;
                    });
                    ctx.write(renderer.finish());
                };
            }};
}

}  // namespace invlog::cli
