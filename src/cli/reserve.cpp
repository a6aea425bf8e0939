// invlog reserve SKU QTY
#include "invlog/cli/subcommand.hpp"
#include "invlog/cli/write_command.hpp"

namespace invlog::cli {

Subcommand reserve_subcommand() {
    return {"reserve", Group::write, "Reserve QTY available units", [](CLI::App& app) -> Perform {
                return describe_quantity_write(app, "Units to reserve, 1 to 10^12, at most the available quantity",
                                               [](domain::Qty q) -> domain::Command { return domain::Reserve{q}; });
            }};
}

}  // namespace invlog::cli
