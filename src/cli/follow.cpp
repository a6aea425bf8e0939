// The polling loop of events --follow and history --follow.
#include "invlog/cli/follow.hpp"

#include <poll.h>
#include <unistd.h>

#include <chrono>
#include <cstring>

#include <fmt/format.h>

#include "invlog/cli/exit_status.hpp"
#include "invlog/cli/stop_signal.hpp"
#include "invlog/domain/error.hpp"

namespace invlog::cli {
namespace {

// Short enough that a new event shows at once to a person watching; each
// poll is one short read, which never blocks a writer.
constexpr std::chrono::milliseconds poll_interval{200};

// Whether the reader of standard output has gone (a pipe whose reader
// closed reports POLLERR): without this check, `events --follow | head -1`
// would wait for the next event to find out.
bool reader_gone() {
    pollfd p{STDOUT_FILENO, 0, 0};
    return poll(&p, 1, 0) == 1 && (p.revents & (POLLERR | POLLNVAL)) != 0;
}

}  // namespace

void follow_events(Context& ctx, client::Inventory& inventory, store::EventFilter filter,
                   const std::function<void(const domain::EventRecord&)>& row, const std::function<void()>& batch_end) {
    const StopOnSignal stop;
    std::optional<std::int64_t> left = filter.limit;
    while (!stop.requested()) {
        if (left && *left <= 0) return;
        filter.limit = left;
        std::int64_t seen = 0;
        inventory.events(filter, [&](const domain::EventRecord& e) {
            filter.after_seq = e.seq;
            ++seen;
            row(e);
            return !stop.requested();  // a long backlog stops at a signal too
        });
        if (stop.requested()) {
            // Stopped inside a batch: what was written is flushed, and the
            // batch is not ended, so that history never shows as complete a
            // command it did not see the end of.
            ctx.flush();
            return;
        }
        if (seen > 0) {
            if (left) *left -= seen;
            if (batch_end) batch_end();
            ctx.flush();
            continue;  // more may be waiting: poll again before sleeping
        }
        if (reader_gone())
            throw domain::storage_error(std::string(output_failed_code),
                                        fmt::format("the output could not be written: {}", std::strerror(EPIPE)));
        stop.sleep_for(poll_interval);
    }
}

void refuse_json_follow(const Context& ctx, std::string_view command) {
    if (ctx.format() == output::Format::json)
        throw domain::usage_error("usage", fmt::format("{} --follow: -o json writes one array, which a follow never "
                                                       "closes; use -o ndjson (one object a line)",
                                                       command));
}

}  // namespace invlog::cli
