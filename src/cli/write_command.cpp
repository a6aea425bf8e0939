// The write subcommands: each row of the command table becomes `invlog NAME
// SKU ...` with its fields as positionals or options, parsed by the rules of
// their type; the shared rules and the request come from app::make_request.
#include "invlog/cli/write_command.hpp"

#include <CLI/CLI.hpp>
#include <fmt/format.h>

#include "invlog/app/command_table.hpp"
#include "invlog/cli/parse.hpp"
#include "invlog/cli/warning.hpp"
#include "invlog/domain/limits.hpp"
#include "invlog/output/render.hpp"

namespace invlog::cli {
namespace {

struct WriteArgs {
    std::string sku;
    std::string expected_version;
    std::string idempotency_key;
    std::vector<std::string> values;        // one per field of the row
    std::vector<const CLI::Option*> given;  // whether each was given (perhaps as '')
};

void add_write_options(CLI::App& app, WriteArgs& args) {
    app.add_option("SKU", args.sku, "The SKU: 1-64 characters of A-Z a-z 0-9 . _ : / -")->required();
    app.add_option("--expected-version", args.expected_version,
                   "Refuse (exit 4) unless the SKU is at this version; 0: it must not exist yet")
        ->type_name("N");
    app.add_option("--idempotency-key", args.idempotency_key,
                   "Apply at most once: a repeat with the same key returns the first result")
        ->type_name("KEY");
}

std::optional<domain::Qty> parse_value(const app::FieldSpec& field, const std::string& text, const CLI::Option& given) {
    if (given.count() == 0) return std::nullopt;
    if (field.type == app::FieldType::delta) return parse_delta(text, field.cli);
    return parse_quantity(text, field.cli, field.type == app::FieldType::stock);
}

void perform_write(Context& ctx, const app::CommandSpec& spec, const WriteArgs& args) {
    app::CommandInput input;
    input.sku = parse_sku(args.sku);
    for (std::size_t i = 0; i < spec.fields.size(); ++i)
        input.values.push_back(parse_value(spec.fields[i], args.values[i], *args.given[i]));
    // --actor and --reason are registered with the global options (run.cpp).
    input.actor = ctx.actor();
    input.reason = ctx.reason();
    if (!args.expected_version.empty())
        input.expected_version = parse_count(args.expected_version, "--expected-version", 0, INT64_MAX);
    if (!args.idempotency_key.empty())
        input.idempotency_key = parse_text(args.idempotency_key, "--idempotency-key", domain::max_key_length);
    const app::Request request = app::make_request(spec, std::move(input), [](const app::FieldSpec* f) {
        return f ? std::string(f->cli) : std::string("--reason TEXT");
    });

    app::Outcome outcome = ctx.inventory(store::OpenMode::write)->execute(request);
    ctx.recorded(fmt::format("{} {} (now at version {})", spec.name, request.sku, outcome.state.state.version));
    if (!ctx.quiet())
        for (const auto& note : outcome.notes) print_note(note, ctx.format());
    if (!ctx.quiet()) ctx.write(output::render_state(outcome.state, ctx.format(), ctx.style(), outcome.notes));
}

Subcommand write_subcommand(const app::CommandSpec& spec) {
    return {spec.name, Group::write, spec.summary, [&spec](CLI::App& app) -> Perform {
                auto args = std::make_shared<WriteArgs>();
                args->values.resize(spec.fields.size());
                add_write_options(app, *args);
                for (std::size_t i = 0; i < spec.fields.size(); ++i) {
                    const auto& field = spec.fields[i];
                    CLI::Option* opt = app.add_option(std::string(field.cli), args->values[i], std::string(field.help));
                    if (field.positional())
                        opt->allow_extra_args(false);
                    else
                        opt->type_name(std::string(field.value_name));
                    if (field.required) opt->required();
                    args->given.push_back(opt);
                }
                return [args, &spec](Context& ctx) { perform_write(ctx, spec, *args); };
            }};
}

}  // namespace

std::vector<Subcommand> write_subcommands() {
    std::vector<Subcommand> out;
    for (const auto& spec : app::command_table()) out.push_back(write_subcommand(spec));
    return out;
}

}  // namespace invlog::cli
