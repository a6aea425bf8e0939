// invlog create SKU --soh N [--available M]
#include <CLI/CLI.hpp>

#include "invlog/cli/parse.hpp"
#include "invlog/cli/subcommand.hpp"
#include "invlog/cli/write_command.hpp"

namespace invlog::cli {

Subcommand create_subcommand() {
    return {"create", Group::write, "Create a SKU with its stock on hand", [](CLI::App& app) -> Perform {
                struct Args : WriteArgs {
                    std::string soh, available;
                };
                auto args = std::make_shared<Args>();
                add_write_options(app, *args);
                app.add_option("--soh", args->soh, "Stock on hand, 0 to 10^12")->required()->type_name("N");
                app.add_option("--available", args->available, "Available quantity, at most --soh (default: --soh)")
                    ->type_name("M");
                return [args](Context& ctx) {
                    domain::Create cmd{parse_quantity(args->soh, "--soh", true), std::nullopt};
                    if (!args->available.empty()) cmd.available = parse_quantity(args->available, "--available", true);
                    perform_write(ctx, *args, cmd);
                };
            }};
}

}  // namespace invlog::cli
