// GET /metrics: the server's counters and histograms, the head seq and the
// lag of every export destination recorded in the database.
#include "handlers.hpp"
#include "invlog/store/export_positions.hpp"

namespace invlog::http {

Response handle_metrics(const Call& call) {
    // The positions are read before the head: a lag is never negative
    // because an export acknowledged events committed after the head was read.
    // The head is the store's, not this server's last commit: other servers
    // (on one MongoDB) and commands may write to it too.
    auto& store = call.service.reader();
    const auto positions = store.list_export_positions();
    std::int64_t head = 0;
    {
        store::EventStore::Transaction tx(store, false);
        head = store.head().seq;
    }
    Response r;
    r.content_type = "text/plain; version=0.0.4; charset=utf-8";
    r.body = call.service.metrics().render(head, positions);
    return r;
}

}  // namespace invlog::http
