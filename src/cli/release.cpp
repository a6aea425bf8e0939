// invlog release SKU QTY
#include "invlog/cli/subcommand.hpp"
#include "invlog/cli/write_command.hpp"

namespace invlog::cli {

Subcommand release_subcommand() {
    return {"release", Group::write, "Cancel QTY reserved units (they become available again)", [](CLI::App& app) -> Perform {
                return describe_quantity_write(app, "Reserved units released, 1 to 10^12",
                                               [](domain::Qty q) -> domain::Command { return domain::Release{q}; });
            }};
}

}  // namespace invlog::cli
