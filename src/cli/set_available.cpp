// invlog set-available SKU N
#include <CLI/CLI.hpp>

#include "invlog/cli/parse.hpp"
#include "invlog/cli/subcommand.hpp"
#include "invlog/cli/write_command.hpp"

namespace invlog::cli {

Subcommand set_available_subcommand() {
    return {"set-available", Group::write, "Replace the available quantity (at most soh - reserved)",
            [](CLI::App& app) -> Perform {
                struct Args : WriteArgs {
                    std::string available;
                };
                auto args = std::make_shared<Args>();
                add_write_options(app, *args);
                app.add_option("N", args->available, "The new available quantity")->required();
                return [args](Context& ctx) {
                    perform_write(ctx, *args, domain::SetAvailable{parse_quantity(args->available, "N", true)});
                };
            }};
}

}  // namespace invlog::cli
