// invlog adjust SKU DELTA --reason TEXT
#include <CLI/CLI.hpp>

#include "invlog/cli/parse.hpp"
#include "invlog/cli/subcommand.hpp"
#include "invlog/cli/write_command.hpp"
#include "invlog/domain/error.hpp"

namespace invlog::cli {

Subcommand adjust_subcommand() {
    return {"adjust", Group::write, "Correct soh and available by DELTA (a count, a loss); needs --reason",
            [](CLI::App& app) -> Perform {
                struct Args : WriteArgs {
                    std::string delta;
                };
                auto args = std::make_shared<Args>();
                add_write_options(app, *args);
                app.add_option("DELTA", args->delta, "Signed change, e.g. 5 or -3 (write -- -3 if needed)")
                    ->required()
                    ->allow_extra_args(false);
                return [args](Context& ctx) {
                    auto delta = parse_delta(args->delta);
                    if (!write_reason(ctx, *args))
                        throw domain::usage_error("missing_reason", "adjust needs --reason TEXT");
                    perform_write(ctx, *args, domain::Adjust{delta});
                };
            }};
}

}  // namespace invlog::cli
