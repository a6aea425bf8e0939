// invlog history SKU [--since TIME] [--until TIME]
#include <CLI/CLI.hpp>

#include <utility>
#include <fmt/format.h>

#include "invlog/app/queries.hpp"
#include "invlog/cli/parse.hpp"
#include "invlog/cli/subcommand.hpp"
#include "invlog/domain/error.hpp"
#include "invlog/domain/text.hpp"
#include "invlog/output/render.hpp"

namespace invlog::cli {

Subcommand history_subcommand() {
    return {"history", Group::read, "Show a SKU's events, each with the state right after it",
            [](CLI::App& app) -> Perform {
                struct Args {
                    std::string sku, sku_option, since, until;
                };
                auto args = std::make_shared<Args>();
                app.add_option("SKU", args->sku, "The SKU (or give it with --sku)");
                app.add_option("--sku", args->sku_option, "The SKU, as 'invlog events --sku' takes it")
                    ->type_name("SKU");
                app.add_option("--since", args->since, "Only events recorded at or after TIME")->type_name("TIME");
                app.add_option("--until", args->until, "Only events recorded at or before TIME")->type_name("TIME");
                return [args](Context& ctx) {
                    if (args->sku.empty() && args->sku_option.empty())
                        throw domain::usage_error("usage", "history: a SKU is required (see 'invlog history --help')");
                    if (!args->sku.empty() && !args->sku_option.empty() && args->sku != args->sku_option)
                        throw domain::usage_error(
                            "usage", fmt::format("history: two SKUs given ('{}' and --sku '{}'); give one",
                                                 domain::shown(args->sku), domain::shown(args->sku_option)));
                    app::HistoryQuery q{parse_sku(args->sku.empty() ? args->sku_option : args->sku), std::nullopt,
                                        std::nullopt};
                    if (!args->since.empty()) q.since = parse_time_arg(args->since, "--since");
                    if (!args->until.empty()) q.until = parse_time_arg(args->until, "--until");
                    auto store = ctx.open_store(store::OpenMode::read);
                    output::EventListRenderer renderer(ctx.format(), ctx.style(), true);
                    // The list opens with the first row (or at the end), so that an
                    // unknown SKU gives an error and no partial output.
                    bool open = false;
                    auto begin = [&] {
                        if (!std::exchange(open, true)) ctx.write(renderer.begin());
                    };
                    app::for_each_history(*store, q, [&](const domain::EventRecord& e, const domain::State* after) {
                        begin();
                        ctx.write(renderer.add(e, after));
                    });
                    begin();
                    ctx.write(renderer.finish());
                };
            }};
}

}  // namespace invlog::cli
