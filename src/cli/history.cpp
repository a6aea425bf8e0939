// invlog history SKU [--since TIME] [--until TIME] [--follow]
#include <CLI/CLI.hpp>

#include <fmt/format.h>
#include <utility>

#include "invlog/app/queries.hpp"
#include "invlog/cli/follow.hpp"
#include "invlog/cli/parse.hpp"
#include "invlog/cli/subcommand.hpp"
#include "invlog/domain/error.hpp"
#include "invlog/domain/state.hpp"
#include "invlog/domain/text.hpp"
#include "invlog/output/render.hpp"

namespace invlog::cli {
namespace {

// The history so far, then the SKU's new events, each with the state after
// it: one replay of the SKU's events from the start, which then waits for
// more. A row waits for the next event (or the end of its poll, which holds
// whole commands) to know whether its command goes on: as in
// app::for_each_history, a state inside a command is shown as none.
void follow_history(Context& ctx, client::Inventory& inventory, const app::HistoryQuery& q) {
    inventory.show(client::ShowQuery{q.sku, {}});  // an unknown SKU fails before any output
    output::EventListRenderer renderer(ctx.format(), ctx.style(), true, true);
    ctx.write(renderer.begin());
    store::EventFilter filter;
    filter.sku = q.sku;
    domain::State state;
    std::optional<domain::EventRecord> pending;
    domain::State pending_state;
    auto flush = [&](const domain::EventRecord* next) {
        if (!pending) return;
        const bool inside = next && next->meta.command_id == pending->meta.command_id;
        if (!q.since || pending->recorded_at >= *q.since)
            ctx.write(renderer.add(*pending, inside ? nullptr : &pending_state));
        pending.reset();
    };
    follow_events(
        ctx, inventory, filter,
        [&](const domain::EventRecord& e) {
            flush(&e);
            state = domain::evolve(state, e.event);
            pending = e;
            pending_state = state;
        },
        [&] { flush(nullptr); });
}

}  // namespace

Subcommand history_subcommand() {
    return {
        "history", Group::read, "Show a SKU's events, each with the state right after it",
        [](CLI::App& app) -> Perform {
            struct Args {
                std::string sku, sku_option, since, until;
                bool follow = false;
            };
            auto args = std::make_shared<Args>();
            app.add_option("SKU", args->sku, "The SKU (or give it with --sku)");
            app.add_option("--sku", args->sku_option, "The SKU, as 'invlog events --sku' takes it")->type_name("SKU");
            app.add_option("--since", args->since, "Only events recorded at or after TIME")->type_name("TIME");
            auto* until =
                app.add_option("--until", args->until, "Only events recorded at or before TIME")->type_name("TIME");
            app.add_flag("--follow", args->follow,
                         "Then keep printing the SKU's new events as they are committed, until interrupted (not "
                         "with -o json)")
                ->excludes(until);
            return [args](Context& ctx) {
                if (args->sku.empty() && args->sku_option.empty())
                    throw domain::usage_error("usage", "history: a SKU is required (see 'invlog history --help')");
                if (!args->sku.empty() && !args->sku_option.empty() && args->sku != args->sku_option)
                    throw domain::usage_error("usage",
                                              fmt::format("history: two SKUs given ('{}' and --sku '{}'); give one",
                                                          domain::shown(args->sku), domain::shown(args->sku_option)));
                app::HistoryQuery q{parse_sku(args->sku.empty() ? args->sku_option : args->sku), std::nullopt,
                                    std::nullopt};
                if (!args->since.empty()) q.since = parse_time_arg(args->since, "--since");
                if (!args->until.empty()) q.until = parse_time_arg(args->until, "--until");
                if (args->follow) refuse_json_follow(ctx, "history");
                auto inventory = ctx.inventory(store::OpenMode::read, args->follow);
                if (args->follow) return follow_history(ctx, *inventory, q);
                output::EventListRenderer renderer(ctx.format(), ctx.style(), true);
                // The list opens with the first row (or at the end), so that an
                // unknown SKU gives an error and no partial output.
                bool open = false;
                auto begin = [&] {
                    if (!std::exchange(open, true)) ctx.write(renderer.begin());
                };
                inventory->history(q, [&](const domain::EventRecord& e, const domain::State* after) {
                    begin();
                    ctx.write(renderer.add(e, after));
                });
                begin();
                ctx.write(renderer.finish());
            };
        }};
}

}  // namespace invlog::cli
