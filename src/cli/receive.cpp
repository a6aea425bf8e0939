// invlog receive SKU QTY
#include "invlog/cli/subcommand.hpp"
#include "invlog/cli/write_command.hpp"

namespace invlog::cli {

Subcommand receive_subcommand() {
    return {"receive", Group::write, "Receive QTY units into stock (soh and available go up)", [](CLI::App& app) -> Perform {
                return describe_quantity_write(app, "Units received, 1 to 10^12",
                                               [](domain::Qty q) -> domain::Command { return domain::Receive{q}; });
            }};
}

}  // namespace invlog::cli
