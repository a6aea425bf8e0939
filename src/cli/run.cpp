// Global options, parsing, dispatch, and the one place where failures become
// exit statuses and error messages.
#include "invlog/cli/run.hpp"

#include <CLI/CLI.hpp>
#include <fmt/format.h>

#include <algorithm>
#include <csignal>
#include <iostream>
#include <optional>

#include "invlog/cli/context.hpp"
#include "invlog/cli/exit_status.hpp"
#include "invlog/cli/help.hpp"
#include "invlog/cli/secret_args.hpp"
#include "invlog/cli/subcommand.hpp"
#include "invlog/cli/telemetry.hpp"
#include "invlog/domain/text.hpp"
#include "invlog/output/render.hpp"
#include "invlog/telemetry/span.hpp"

namespace invlog::cli {
namespace {

// The output format for error messages, read from argv directly because a
// parse error can stop CLI11 before it has stored --output.
output::Format error_format(int argc, char** argv) {
    output::Format format = output::Format::text;
    for (int i = 1; i < argc; ++i) {
        std::string_view a = argv[i];
        std::string_view value;
        if ((a == "-o" || a == "--output") && i + 1 < argc)
            value = argv[i + 1];
        else if (a.substr(0, 9) == "--output=")
            value = a.substr(9);
        else if (a.size() > 2 && a.substr(0, 2) == "-o")
            value = a.substr(2);
        if (auto f = output::parse_format(value)) format = *f;
    }
    return format;
}

int report(const std::string& code, const std::string& message, ExitStatus status, output::Format format) {
    std::cerr << output::render_error(code, message, static_cast<int>(status), format) << std::flush;
    return static_cast<int>(status);
}

// Subcommands treat an empty option value as "not given"; an explicitly empty
// value (`--available ''`, `--uri "$UNSET"`) is a usage error instead of a
// silent default. Checks the app and every parsed subcommand below it.
void refuse_empty_values(const CLI::App& app) {
    for (const CLI::App* sub : app.get_subcommands()) refuse_empty_values(*sub);
    for (const CLI::Option* opt : app.get_options()) {
        if (opt->get_positional() || opt->get_type_size() == 0 || opt->count() == 0) continue;
        for (const auto& value : opt->results()) {
            if (!value.empty()) continue;
            std::string name =
                opt->get_lnames().empty() ? "-" + opt->get_snames().front() : "--" + opt->get_lnames().front();
            throw domain::usage_error("invalid_argument", fmt::format("invalid {} '': must not be empty", name));
        }
    }
}

std::vector<std::string_view> names() {
    std::vector<std::string_view> out;
    for (const auto& s : subcommands()) out.push_back(s.name);
    return out;
}

// An argument that looks like an option: "-X", "--bogus", but not "-5" (a
// negative DELTA), "--1" (a mistyped one) nor "-" (standard input).
bool option_like(std::string_view arg) {
    const auto name = arg.find_first_not_of('-');
    return name != 0 && name != std::string_view::npos && !(arg[name] >= '0' && arg[name] <= '9');
}

// The first argument no subcommand took that looks like an option.
std::optional<std::string> unknown_option(const CLI::App& app) {
    for (const auto& extra : app.remaining())
        if (option_like(extra)) return extra;
    return std::nullopt;
}

// --actor and --reason describe a recorded change: each write command and
// apply lists them in its help, and they fill the same two strings as the
// global spelling (`invlog --actor NAME reserve ...`), resolved once by
// Context.
void add_change_options(CLI::App& sub, GlobalOptions& globals) {
    sub.add_option("--actor", globals.actor, "Who makes the change (default: $INVLOG_ACTOR, else the login name)")
        ->type_name("NAME");
    sub.add_option("--reason", globals.reason, "Why the change is made, recorded with the events")->type_name("TEXT");
}

// The root span of a command: named for the subcommand, with its SKU when it
// takes one. `serve` has none: each request it answers is a trace of its own.
void start_root_span(std::optional<telemetry::Span>& root, const CLI::App& chosen) {
    if (!telemetry::enabled() || chosen.get_name() == "serve") return;
    root.emplace(chosen.get_name(), telemetry::SpanKind::internal);
    root->set_string("invlog.command", chosen.get_name());
    if (const CLI::Option* sku = chosen.get_option_no_throw("SKU"); sku && sku->count() > 0)
        root->set_string("invlog.sku", sku->results().front());
}

// The subcommand a command line names: the only one whose options are
// described to CLI11, since describing every subcommand's options costs more
// than the rest of a short command's start. nullopt when the line is not
// understood before parsing (then every subcommand is described); "" when
// it names none (the overview, --version).
std::optional<std::string> named_subcommand(const CLI::App& root, int argc, char** argv) {
    const auto i = first_word(root, argc, argv);
    if (!i) return std::nullopt;
    int at = *i;
    if (at < argc && std::string_view(argv[at]) == "help") ++at;
    return at < argc ? std::string(argv[at]) : std::string();
}

// Parses and performs a command. With `partial`, only the named subcommand is
// described; a line that then does not parse cleanly is run again with every
// subcommand described, so that its error and suggestions are those of the
// whole command line.
int run_command(int argc, char** argv, bool partial) {
    // A closed pipe must be an error that the command handles (EPIPE), not
    // a death by signal after a change was committed.
    std::signal(SIGPIPE, SIG_IGN);
    const output::Format err_format = error_format(argc, argv);
    CLI::App app("invlog keeps an inventory as an append-only, hash-chained event log in SQLite.", "invlog");
    app.set_version_flag("-V,--version", fmt::format("invlog {}", version), "Print the version and exit");
    app.require_subcommand(0, 1);
    app.allow_extras();
    app.footer(
        "Run 'invlog help SUBCOMMAND' (or 'invlog SUBCOMMAND --help') for a subcommand's\n"
        "options and examples.\n"
        "Exit statuses: 0 ok, 1 refused by a rule, 2 usage, 3 SKU not found, 4 conflict,\n"
        "5 storage, 6 integrity, 7 recorded but not printed. See invlog(1).");

    GlobalOptions globals;
    app.add_option("--db", globals.db,
                   "The database file, or the URL of an invlog server (http://HOST:PORT) (default: $INVLOG_DB, else "
                   "$XDG_DATA_HOME/invlog/inventory.db)")
        ->type_name("PATH|URL");
    app.add_option("--token-file", globals.token_file,
                   "With --db URL: the bearer token, the first line of FILE (default: $INVLOG_TOKEN)")
        ->type_name("FILE");
    app.add_option("-o,--output", globals.output, "Output format: text, json, ndjson or csv")->type_name("FORMAT");
    CLI::Option* global_actor =
        app.add_option("--actor", globals.actor, "Write commands: who makes the change (see their --actor)")
            ->type_name("NAME");
    CLI::Option* global_reason =
        app.add_option("--reason", globals.reason, "Write commands: why the change is made (see their --reason)")
            ->type_name("TEXT");
    app.add_option("--lock-timeout", globals.lock_timeout, "How long to wait for another writer, in ms (default 5000)")
        ->type_name("MS");
    app.add_flag("-q,--quiet", globals.quiet, "Print nothing on success for write commands");
    app.add_flag("--no-progress", globals.no_progress, "Never draw progress lines on stderr (-q neither)");
    app.add_option("--color", globals.color,
                   "Colour in text output: auto (a terminal, unless NO_COLOR is set or TERM=dumb), always or never")
        ->type_name("WHEN");
    app.add_flag("--no-header", globals.no_header, "Leave out the header row of CSV and text tables");
    app.add_flag("-v,--verbose", globals.verbose,
                 "Say on stderr what goes wrong in the background (the OpenTelemetry exporter)");

    const std::optional<std::string> only = partial ? named_subcommand(app, argc, argv) : std::nullopt;
    auto whole = [&] { return run_command(argc, argv, false); };
    std::vector<std::pair<CLI::App*, Perform>> performs;
    for (const auto& sub : subcommands()) {
        CLI::App* s = app.add_subcommand(std::string(sub.name), std::string(sub.summary));
        s->group(std::string(group_title(sub.group)));
        s->fallthrough();
        if (only && *only != sub.name) continue;  // listed in the overview, not described
        performs.emplace_back(s, sub.describe(*s));
        if (sub.group == Group::write) add_change_options(*s, globals);
    }
    apply_help_conventions(app);

    CLI::App* chosen = nullptr;
    std::optional<Context> ctx;
    // Destroyed in reverse: the root span ends, then the spans are sent.
    std::optional<TelemetrySession> telemetry_session;
    std::optional<telemetry::Span> root;
    auto failed = [&root](const std::string& code, int status) {
        if (!root) return status;
        root->fail(code);
        root->set_int("invlog.exit_status", status);
        return status;
    };
    try {
        if (auto words = help_request(app, argc, argv)) return print_help(app, *words);
        try {
            app.parse(argc, argv);
        } catch (const CLI::ParseError& e) {
            if (e.get_exit_code() == 0) return app.exit(e, std::cout, std::cerr);
            if (only) return whole();
            // An unknown option explains the rest ("SKU is required" after
            // "create -X" would send the user after the wrong problem).
            if (auto option = unknown_option(app))
                return report("usage", unknown_option_message(*option, app), ExitStatus::usage, err_format);
            if (auto nested = unknown_nested_message(app))
                return report("unknown_subcommand", *nested, ExitStatus::usage, err_format);
            return report("usage", parse_error_message(e, app), ExitStatus::usage, err_format);
        }
        Perform perform;
        for (auto& [s, p] : performs)
            if (s->parsed()) {
                chosen = s;
                perform = p;
            }
        auto extras = app.remaining();
        if (only && (!chosen || !extras.empty() || unknown_nested_message(app))) return whole();
        hide_secret_arguments(argc, argv);
        if (auto option = unknown_option(app))
            return report("usage", unknown_option_message(*option, app), ExitStatus::usage, err_format);
        if (!chosen) {
            if (!extras.empty()) {
                std::string hint = nearest(extras.front(), names());
                return report("unknown_subcommand",
                              hint.empty() ? fmt::format("unknown subcommand '{}' (see 'invlog --help')",
                                                         domain::shown(extras.front()))
                                           : fmt::format("unknown subcommand '{}'; did you mean '{}'?",
                                                         domain::shown(extras.front()), hint),
                              ExitStatus::usage, err_format);
            }
            std::cerr << app.help();
            return report("usage", "a subcommand is required (see 'invlog --help')", ExitStatus::usage, err_format);
        }
        if (auto nested = unknown_nested_message(app))
            return report("unknown_subcommand", *nested, ExitStatus::usage, err_format);
        const CLI::App& deepest = deepest_parsed(app);
        if (!extras.empty())
            return report("usage",
                          fmt::format("{}: unexpected argument '{}' (see 'invlog {} --help')", command_path(deepest),
                                      domain::shown(extras.front()), command_path(deepest)),
                          ExitStatus::usage, err_format);
        // Read commands record nothing: an --actor or --reason given to one
        // is a mistake to report, not a value to drop.
        const bool records = std::any_of(subcommands().begin(), subcommands().end(), [&](const Subcommand& s) {
            return s.name == chosen->get_name() && s.group == Group::write;
        });
        for (const CLI::Option* opt : {global_actor, global_reason})
            if (!records && opt->count() > 0)
                return report("usage",
                              fmt::format("{}: {} applies only to commands that record a change (see 'invlog {} "
                                          "--help')",
                                          command_path(deepest), opt->get_name(), command_path(deepest)),
                              ExitStatus::usage, err_format);

        refuse_empty_values(app);
        telemetry_session.emplace(globals.verbose, chosen->get_name() == "serve");
        start_root_span(root, *chosen);
        ctx.emplace(globals, std::cout);
        // Only the commands that go through client::Inventory reach a server.
        for (const auto& sub : subcommands())
            if (sub.name == chosen->get_name() && sub.group != Group::write && sub.group != Group::read &&
                sub.group != Group::audit)
                ctx->refuse_remote(sub.name);
        perform(*ctx);
        ctx->check_reads();
        ctx->flush();
        return 0;
    } catch (const domain::Failure& f) {
        const bool recorded = ctx && ctx->recorded();
        const ExitStatus status = exit_status(f, recorded);
        if (status == ExitStatus::recorded_output_failed)
            return failed("recorded_output_failed",
                          report("recorded_output_failed",
                                 fmt::format("{}: recorded, but {}; do not run it again", *ctx->recorded(), f.what()),
                                 status, err_format));
        return failed(f.code(), report(f.code(), f.what(), status, err_format));
    } catch (const std::exception& e) {
        return failed("internal_error", report("internal_error", fmt::format("internal error: {}", e.what()),
                                               ExitStatus::storage, err_format));
    }
}

}  // namespace

int run(int argc, char** argv) { return run_command(argc, argv, true); }

}  // namespace invlog::cli
