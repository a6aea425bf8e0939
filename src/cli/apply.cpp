// invlog apply [FILE|-] [--atomic | --stop-on-error]
// Results go to stdout as the lines run (each flushed once its line is
// committed), or, with --atomic, only after the commit: a result printed is
// a result recorded. --atomic reads its whole input before it takes the
// write lock (batch::apply).
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <iostream>
#include <optional>

#include <CLI/CLI.hpp>
#include <fmt/format.h>

#include "invlog/batch/apply.hpp"
#include "invlog/batch/spool.hpp"
#include "invlog/cli/exit_status.hpp"
#include "invlog/cli/progress.hpp"
#include "invlog/cli/subcommand.hpp"
#include "invlog/output/apply_result.hpp"
#include "invlog/util/time.hpp"

namespace invlog::cli {
namespace {

struct Args {
    std::string file = "-";
    bool atomic = false;
    bool stop_on_error = false;
};

// The input file descriptor, closed on the way out.
class Input {
public:
    explicit Input(const std::string& file) {
        if (file == "-") return;
        m_name = file;
        m_fd = ::open(file.c_str(), O_RDONLY | O_CLOEXEC);
        if (m_fd < 0)
            throw domain::usage_error("cannot_read", fmt::format("cannot read {}: {}", file, std::strerror(errno)));
        struct stat st {};
        if (::fstat(m_fd, &st) == 0 && S_ISDIR(st.st_mode)) {
            ::close(m_fd);
            throw domain::usage_error("cannot_read", fmt::format("cannot read {}: it is a directory", file));
        }
    }
    ~Input() {
        if (m_fd != STDIN_FILENO) ::close(m_fd);
    }
    Input(const Input&) = delete;
    Input& operator=(const Input&) = delete;

    int fd() const { return m_fd; }
    const std::string& name() const { return m_name; }
    // For progress: the size of a regular file (stdin redirected from one
    // included), 0 for a pipe or a terminal, whose size is not known.
    std::int64_t size() const {
        struct stat st {};
        return ::fstat(m_fd, &st) == 0 && S_ISREG(st.st_mode) ? static_cast<std::int64_t>(st.st_size) : 0;
    }
    // How far the reader has read (it reads ahead by a buffer at most).
    std::int64_t position() const { return std::max<std::int64_t>(0, ::lseek(m_fd, 0, SEEK_CUR)); }

private:
    int m_fd = STDIN_FILENO;
    std::string m_name = "standard input";
};

int code_of(domain::ErrorKind kind) { return static_cast<int>(exit_status(kind)); }

void perform_apply(Context& ctx, const Args& args) {
    Input input(args.file);
    batch::Options options;
    options.atomic = args.atomic;
    options.stop_on_error = args.stop_on_error;
    options.defaults = batch::Defaults{ctx.actor(), ctx.reason()};
    options.clock = util::now_ms;
    auto inventory = ctx.inventory(store::OpenMode::write);
    if (input.fd() == STDIN_FILENO && isatty(STDIN_FILENO) && !ctx.quiet())
        std::cerr << (args.atomic ? "invlog apply: reading NDJSON commands from the terminal; they run after Ctrl-D\n"
                                  : "invlog apply: reading NDJSON commands from the terminal; end with Ctrl-D\n");

    output::ApplyResultRenderer renderer(ctx.format());
    batch::Spool held;  // --atomic: the results wait for the commit
    // From a file, progress is the bytes read of its size; from a pipe, the
    // line count alone.
    const std::int64_t input_size = ctx.progress() ? input.size() : 0;
    Progress progress("apply", input_size, ctx.progress());
    std::optional<batch::LineResult> first_failure;
    domain::ErrorKind worst = domain::ErrorKind::rejected;
    if (!args.atomic) ctx.write(renderer.begin());

    // Lines committed so far, for the message when the output fails after
    // some were (exit 7).
    std::int64_t recorded = 0;
    batch::LineReader reader(batch::read_fd(input.fd(), input.name()));
    auto summary = inventory->apply(reader, options, [&](const batch::LineResult& r) {
        if (input_size > 0)
            progress.update(input.position(), fmt::format("bytes, line {}", r.line));
        else
            progress.update(r.line, "lines");
        std::string text;
        if (const auto* outcome = std::get_if<app::Outcome>(&r.result)) {
            // Per line, the sink sees a line once it is committed; with
            // --atomic, only once the whole batch is (below).
            if (!args.atomic) {
                ++recorded;
                ctx.recorded(
                    fmt::format("apply, {} line{} (up to line {})", recorded, recorded == 1 ? "" : "s", r.line));
            }
            if (!ctx.quiet()) text = renderer.add_ok(r.line, outcome->state, outcome->notes, outcome->replayed);
        } else {
            const auto& e = std::get<batch::LineError>(r.result);
            if (!first_failure) first_failure = r;
            if (code_of(e.kind) > code_of(worst)) worst = e.kind;
            if (!args.atomic) text = renderer.add_error(r.line, e.code, e.message, code_of(e.kind));
        }
        if (text.empty()) return;
        if (args.atomic) {
            held.add(text);
        } else {
            ctx.write(text);
            ctx.flush();
        }
    });
    progress.finish();

    if (args.atomic && first_failure) {
        // Nothing was appended: show the one line that stopped the batch.
        const auto& e = std::get<batch::LineError>(first_failure->result);
        output::ApplyResultRenderer alone(ctx.format());
        ctx.write(alone.begin() + alone.add_error(first_failure->line, e.code, e.message, code_of(e.kind)) +
                  alone.finish());
        ctx.flush();
        throw domain::Failure(e.kind, "batch_failed",
                              fmt::format("line {} failed; nothing was applied (--atomic)", first_failure->line));
    }
    if (args.atomic) {
        if (summary.lines > 0) ctx.recorded(fmt::format("apply --atomic, all {} lines", summary.lines));
        ctx.write(renderer.begin());
        held.drain([&](std::string_view text) { ctx.write(text); });
    }
    ctx.write(renderer.finish());
    ctx.flush();
    if (summary.failed == 0) return;
    if (args.stop_on_error)
        throw domain::Failure(worst, "batch_failed",
                              fmt::format("line {} failed; stopped there (--stop-on-error), earlier lines are applied",
                                          first_failure->line));
    throw domain::Failure(worst, "batch_failed",
                          summary.failed == summary.lines
                              ? fmt::format("all {} lines failed; nothing was applied", summary.lines)
                              : fmt::format("{} of {} lines failed; the other {} are applied", summary.failed,
                                            summary.lines, summary.lines - summary.failed));
}

}  // namespace

Subcommand apply_subcommand() {
    return {"apply", Group::write, "Run NDJSON commands from FILE or stdin; one NDJSON result per line",
            [](CLI::App& app) -> Perform {
                auto args = std::make_shared<Args>();
                app.add_option("FILE", args->file, "NDJSON commands, one per line (default: - for standard input)");
                auto* atomic =
                    app.add_flag("--atomic", args->atomic, "One transaction for all lines: all applied or none");
                app.add_flag("--stop-on-error", args->stop_on_error,
                             "Stop at the first failed line; the lines before it stay applied")
                    ->excludes(atomic);
                return [args](Context& ctx) { perform_apply(ctx, *args); };
            }};
}

}  // namespace invlog::cli
