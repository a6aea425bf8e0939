// Shared handling of the write subcommands.
#include "invlog/cli/write_command.hpp"

#include <CLI/CLI.hpp>
#include <fmt/format.h>

#include "invlog/app/service.hpp"
#include "invlog/cli/parse.hpp"
#include "invlog/domain/limits.hpp"
#include "invlog/output/render.hpp"
#include "invlog/util/time.hpp"

namespace invlog::cli {

void add_write_options(CLI::App& app, WriteArgs& args) {
    app.add_option("SKU", args.sku, "The SKU: 1-64 characters of A-Z a-z 0-9 . _ : / -")->required();
    app.add_option("--expected-version", args.expected_version,
                   "Refuse (exit 4) unless the SKU is at this version; 0: it must not exist yet")
        ->type_name("N");
    app.add_option("--idempotency-key", args.idempotency_key,
                   "Apply at most once: a repeat with the same key returns the first result")
        ->type_name("KEY");
    app.add_option("--reason", args.reason, "Why the change was made, recorded with the events")->type_name("TEXT");
    app.add_option("--actor", args.actor, "Who made the change (default: $INVLOG_ACTOR, else the login name)")
        ->type_name("NAME");
}

std::optional<std::string> write_reason(const Context& ctx, const WriteArgs& args) {
    if (!args.reason.empty()) return parse_text(args.reason, "--reason", domain::max_reason_length);
    return ctx.reason();
}

void perform_write(Context& ctx, const WriteArgs& args, const domain::Command& command) {
    app::Request request;
    request.sku = parse_sku(args.sku);
    request.command = command;
    request.actor = args.actor.empty() ? ctx.actor() : parse_text(args.actor, "--actor", domain::max_actor_length);
    request.reason = write_reason(ctx, args);
    if (!args.expected_version.empty())
        request.expected_version = parse_count(args.expected_version, "--expected-version", 0, INT64_MAX);
    if (!args.idempotency_key.empty())
        request.idempotency_key = parse_text(args.idempotency_key, "--idempotency-key", domain::max_key_length);

    auto store = ctx.open_store(store::OpenMode::write);
    app::Outcome outcome = app::execute(*store, request, util::now_ms);
    ctx.recorded(fmt::format("{} {} (now at version {})", domain::command_name(request.command), request.sku,
                             outcome.state.state.version));
    if (!ctx.quiet()) ctx.write(output::render_state(outcome.state, ctx.format(), ctx.style(), outcome.notes));
}

std::function<void(Context&)> describe_quantity_write(CLI::App& app, const char* qty_help,
                                                      domain::Command (*make)(domain::Qty)) {
    struct Args : WriteArgs {
        std::string qty;
    };
    auto args = std::make_shared<Args>();
    add_write_options(app, *args);
    app.add_option("QTY", args->qty, qty_help)->required();
    return [args, make](Context& ctx) { perform_write(ctx, *args, make(parse_quantity(args->qty, "QTY"))); };
}

}  // namespace invlog::cli
