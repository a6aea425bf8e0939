// GET /metrics: the server's counters and histograms, the head seq and the
// lag of every export destination recorded in the database.
#include "handlers.hpp"
#include "invlog/store/export_positions.hpp"

namespace invlog::http {

Response handle_metrics(const Call& call) {
    // The positions are read before the head: a lag is never negative
    // because an export acknowledged events committed after the head was read.
    const auto positions = call.service.reader().list_export_positions();
    const std::int64_t head = call.service.committer().head_seq();
    Response r;
    r.content_type = "text/plain; version=0.0.4; charset=utf-8";
    r.body = call.service.metrics().render(head, positions);
    return r;
}

}  // namespace invlog::http
