// invlog complete SKU QTY
#include "invlog/cli/subcommand.hpp"
#include "invlog/cli/write_command.hpp"

namespace invlog::cli {

Subcommand complete_subcommand() {
    return {"complete", Group::write, "Ship QTY reserved units (reserved and soh go down)", [](CLI::App& app) -> Perform {
                return describe_quantity_write(app, "Reserved units shipped, 1 to 10^12",
                                               [](domain::Qty q) -> domain::Command { return domain::Complete{q}; });
            }};
}

}  // namespace invlog::cli
