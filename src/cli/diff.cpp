// invlog diff --from TIME [--to TIME] [--sku GLOB]: what moved between two
// points, e.g. since the last stock count.
#include <fnmatch.h>

#include <CLI/CLI.hpp>
#include <fmt/format.h>

#include "invlog/app/queries.hpp"
#include "invlog/cli/parse.hpp"
#include "invlog/cli/subcommand.hpp"
#include "invlog/domain/error.hpp"
#include "invlog/domain/limits.hpp"
#include "invlog/output/diff.hpp"
#include "invlog/util/time.hpp"

namespace invlog::cli {

Subcommand diff_subcommand() {
    return {"diff", Group::read, "Show the SKUs whose state changed between two times, before and after",
            [](CLI::App& app) -> Perform {
                struct Args {
                    std::string from, to, sku;
                };
                auto args = std::make_shared<Args>();
                app.add_option("--from", args->from, "The earlier point: the state as of TIME (required)")
                    ->type_name("TIME");
                app.add_option("--to", args->to, "The later point (default: now)")->type_name("TIME");
                app.add_option("--sku", args->sku, "Only SKUs that match GLOB (* ? [...], as the shell matches names)")
                    ->type_name("GLOB");
                return [args](Context& ctx) {
                    if (args->from.empty())
                        throw domain::usage_error("usage", "diff: --from TIME is required (see 'invlog diff --help')");
                    app::DiffQuery query;
                    query.from = parse_time_arg(args->from, "--from");
                    query.to = args->to.empty() ? util::now_ms() : parse_time_arg(args->to, "--to");
                    if (query.to < query.from)
                        throw domain::usage_error("usage", fmt::format("diff: --to ({}) is before --from ({})",
                                                                       util::format_time(query.to),
                                                                       util::format_time(query.from)));
                    std::optional<std::string> glob;
                    if (!args->sku.empty()) glob = parse_text(args->sku, "--sku", domain::max_sku_length * 4);
                    auto inventory = ctx.inventory(store::OpenMode::read);
                    output::DiffRenderer renderer(ctx.format(), ctx.style());
                    // The list opens with the first row (or at the end), so that a
                    // refused query gives an error and no partial output.
                    bool open = false;
                    auto begin = [&] {
                        if (!std::exchange(open, true)) ctx.write(renderer.begin());
                    };
                    inventory->diff(query, [&](const app::DiffRow& row) {
                        if (glob && fnmatch(glob->c_str(), row.after.sku.c_str(), 0) != 0) return;
                        begin();
                        ctx.write(renderer.add(row));
                    });
                    begin();
                    ctx.write(renderer.finish());
                };
            }};
}

}  // namespace invlog::cli
