// invlog set-soh SKU N [--available M]
#include <CLI/CLI.hpp>

#include "invlog/cli/parse.hpp"
#include "invlog/cli/subcommand.hpp"
#include "invlog/cli/write_command.hpp"

namespace invlog::cli {

Subcommand set_soh_subcommand() {
    return {"set-soh", Group::write, "Replace the stock on hand (lowers available to fit when needed)",
            [](CLI::App& app) -> Perform {
                struct Args : WriteArgs {
                    std::string soh, available;
                };
                auto args = std::make_shared<Args>();
                add_write_options(app, *args);
                app.add_option("N", args->soh, "The new stock on hand, at least the reserved quantity")->required();
                app.add_option("--available", args->available, "Also replace the available quantity")
                    ->type_name("M");
                return [args](Context& ctx) {
                    domain::SetSoh cmd{parse_quantity(args->soh, "N", true), std::nullopt};
                    if (!args->available.empty()) cmd.available = parse_quantity(args->available, "--available", true);
                    perform_write(ctx, *args, cmd);
                };
            }};
}

}  // namespace invlog::cli
