// The write subcommands, generated from the command table
// (app/command_table.hpp): one per row, with the options every write takes.
#pragma once

#include <vector>

#include "invlog/cli/subcommand.hpp"

namespace invlog::cli {

// One subcommand per row of the command table, in its order.
std::vector<Subcommand> write_subcommands();

}  // namespace invlog::cli
