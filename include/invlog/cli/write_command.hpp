// What the write subcommands share: the SKU argument, the options every write
// accepts, and running the command through the application layer.
#pragma once

#include <functional>
#include <optional>
#include <string>

#include "invlog/cli/context.hpp"
#include "invlog/domain/commands.hpp"

namespace CLI {
class App;
}

namespace invlog::cli {

struct WriteArgs {
    std::string sku;
    std::string expected_version;
    std::string idempotency_key;
    std::string reason;
    std::string actor;
};

// Registers SKU (first positional), --expected-version, --idempotency-key,
// --reason and --actor.
void add_write_options(CLI::App& app, WriteArgs& args);

// Resolves --reason (here or global).
std::optional<std::string> write_reason(const Context& ctx, const WriteArgs& args);

// Validates the shared arguments, runs the command in one transaction and
// prints the resulting state.
void perform_write(Context& ctx, const WriteArgs& args, const domain::Command& command);

// Describes a write subcommand of the form `NAME SKU QTY`.
std::function<void(Context&)> describe_quantity_write(CLI::App& app, const char* qty_help,
                                                      domain::Command (*make)(domain::Qty));

}  // namespace invlog::cli
