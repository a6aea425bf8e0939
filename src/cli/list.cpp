// invlog list
#include <CLI/CLI.hpp>

#include "invlog/app/queries.hpp"
#include "invlog/cli/subcommand.hpp"
#include "invlog/output/render.hpp"

namespace invlog::cli {

Subcommand list_subcommand() {
    return {"list", Group::read, "List every SKU's current state", [](CLI::App&) -> Perform {
                return [](Context& ctx) {
                    auto store = ctx.open_store(store::OpenMode::read);
                    output::StateListRenderer renderer(ctx.format(), ctx.style());
                    ctx.write(renderer.begin());
                    app::for_each_current(*store, [&](const domain::SkuState& s) { ctx.write(renderer.add(s)); });
                    ctx.write(renderer.finish());
                };
            }};
}

}  // namespace invlog::cli
