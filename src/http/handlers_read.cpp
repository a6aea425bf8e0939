// Read routes: a SKU's state (the reference's four keys, or invlog's full
// object), the list of every SKU, a SKU's history and the event feed. Each
// reads on the calling thread's read-only connection, in one read
// transaction; long lists are streamed, never held in memory.
#include <fmt/format.h>

#include <optional>
#include <utility>

#include "handlers.hpp"
#include "invlog/app/queries.hpp"
#include "invlog/domain/error.hpp"
#include "invlog/domain/limits.hpp"
#include "invlog/http/command_body.hpp"
#include "invlog/http/params.hpp"
#include "invlog/output/json.hpp"
#include "invlog/output/render.hpp"

namespace invlog::http {
namespace {

using Tx = store::EventStore::Transaction;

constexpr std::size_t chunk_bytes = 32 << 10;

// Thrown out of a store iteration when the client has gone.
struct ClientGone {};

// Collects text into chunks for a Writer.
class Chunker {
public:
    explicit Chunker(const Writer& write) : m_write(write) {}
    void add(std::string_view text) {
        m_buffer += text;
        if (m_buffer.size() >= chunk_bytes) flush();
    }
    void flush() {
        if (m_buffer.empty()) return;
        if (!m_write(m_buffer)) throw ClientGone{};
        m_buffer.clear();
    }

private:
    const Writer& m_write;
    std::string m_buffer;
};

output::Format format_of(bool ndjson) { return ndjson ? output::Format::ndjson : output::Format::json; }
const char* content_type_of(bool ndjson) { return ndjson ? "application/x-ndjson" : "application/json"; }

app::At point_of(const std::optional<domain::Millis>& as_of, const std::optional<std::int64_t>& at_version) {
    if (as_of && at_version) throw domain::usage_error("usage", "as_of and at_version exclude each other; give one");
    return app::At{at_version, as_of};
}

domain::SkuState state_of(Service& service, const std::string& sku, const app::At& at) {
    auto& store = service.reader();
    Tx tx(store, false);
    return at.time || at.version ? app::state_at(store, sku, at) : app::current_state(store, sku);
}

// A streamed body: `produce` runs after the headers are sent, in a read
// transaction of its own unless it opens one itself. A failure then can
// only cut the body short: the status is sent already.
Response streamed(Service& service, bool ndjson, bool own_transaction,
                  std::function<void(store::EventStore&, Chunker&)> produce) {
    Response r;
    r.content_type = content_type_of(ndjson);
    Service* svc = &service;
    r.stream = [svc, own_transaction, produce = std::move(produce)](const Writer& write) {
        try {
            auto& store = svc->reader();
            std::optional<Tx> tx;
            if (!own_transaction) tx.emplace(store, false);
            Chunker out(write);
            produce(store, out);
            out.flush();
        } catch (const ClientGone&) {
        } catch (const std::exception&) {
        }
    };
    return r;
}

}  // namespace

bool wants_ndjson(const Call& call) {
    if (auto f = first_param(call.target, "format")) {
        if (*f == "ndjson") return true;
        if (*f == "json") return false;
        throw domain::usage_error("invalid_argument",
                                  fmt::format("invalid query parameter format '{}': expected json or ndjson",
                                              f->substr(0, 80)));
    }
    auto accept = call.request.header("Accept");
    return accept && accept->find("application/x-ndjson") != std::string::npos;
}

Response handle_reference_show(const Call& call) {
    std::optional<domain::Millis> as_of;
    std::optional<std::int64_t> at_version;
    if (auto v = first_param(call.target, "as_of")) as_of = parse_time_value(*v, "query parameter as_of");
    if (auto v = first_param(call.target, "at_version"))
        at_version = parse_count_value(*v, "query parameter at_version", 1, INT64_MAX);
    const std::string sku = path_sku(call.match.sku);
    app::At at = point_of(as_of, at_version);
    if (at.version) at.version = app::resolve_version(call.service.reader(), sku, *at.version);
    const domain::SkuState s = state_of(call.service, sku, at);
    output::Json j;
    j["sku"] = s.sku;
    j["soh"] = s.state.soh;
    j["reserved"] = s.state.reserved;
    j["available_quantity"] = s.state.available_quantity;
    Response r;
    r.body = output::dump_line(j);
    r.set_header("ETag", fmt::format("\"{}\"", s.state.version));
    r.sku = sku;
    return r;
}

Response handle_state(const Call& call) {
    Params p(call.target, {"as_of", "at_version"});
    const std::string sku = path_sku(call.match.sku);
    app::At at = point_of(p.time("as_of"), p.count("at_version", 1, INT64_MAX));
    // A version inside a command is shown as the command's last, as `show
    // --at-version` does, and the body says which version it shows.
    if (at.version) at.version = app::resolve_version(call.service.reader(), sku, *at.version);
    const domain::SkuState s = state_of(call.service, sku, at);
    Response r;
    output::Json j = output::state_json(s);
    if (at.version) j["resolved_version"] = *at.version;
    r.body = output::dump_line(j);
    r.set_header("ETag", fmt::format("\"{}\"", s.state.version));
    r.sku = sku;
    return r;
}

Response handle_list(const Call& call) {
    Params p(call.target, {"below", "as_of", "at_seq", "limit", "after", "prefix", "format"});
    store::Point at;
    at.until = p.time("as_of");
    at.max_seq = p.count("at_seq", 0, INT64_MAX);
    if (at.until && at.max_seq) throw domain::usage_error("usage", "as_of and at_seq exclude each other; give one");
    const Page page = page_of(p);
    const store::StateRange range{page.after, p.sku("prefix"), p.count("below", 0, INT64_MAX), std::nullopt};
    const bool ndjson = wants_ndjson(call);
    // Before any output; a seq inside a command is taken as the command's
    // last, as `list --at-seq` does, and each row says which seq it shows.
    std::optional<output::Resolved> resolved;
    if (at.max_seq) {
        at.max_seq = app::resolve_seq(call.service.reader(), *at.max_seq);
        resolved = output::Resolved{"resolved_seq", *at.max_seq};
    }
    const bool travels = at.until || at.max_seq;  // for_each_state_at holds its own read transaction
    // The rows of the range in SKU order, at most `limit`: now, a range of
    // the read model the store seeks to; in the past, every SKU replayed
    // and filtered here, stopping once past the prefix.
    auto each = [at, range, travels](store::EventStore& store, std::optional<std::int64_t> limit,
                                     const std::function<void(const domain::SkuState&)>& fn) {
        if (!travels) {
            store::StateRange r = range;
            r.limit = limit;
            app::for_each_current(store, r, fn);
            return;
        }
        struct PastPrefix {};
        try {
            app::for_each_state_at(store, at, [&](const domain::SkuState& s) {
                if (range.after && s.sku <= *range.after) return;
                if (range.prefix && !s.sku.starts_with(*range.prefix)) {
                    if (s.sku > *range.prefix) throw PastPrefix{};
                    return;
                }
                if (range.below && s.state.available_quantity >= *range.below) return;
                fn(s);
            });
        } catch (const PastPrefix&) {
        }
    };

    if (!page.limit) {
        return streamed(call.service, ndjson, travels,
                        [each, ndjson, resolved](store::EventStore& store, Chunker& out) {
                            output::StateListRenderer renderer(format_of(ndjson), {}, resolved);
                            out.add(renderer.begin());
                            each(store, std::nullopt, [&](const domain::SkuState& s) { out.add(renderer.add(s)); });
                            out.add(renderer.finish());
                        });
    }
    // A page: at most `limit` rows, and a Link to the next when one more
    // row follows them (read to know, not shown). Held whole: a page is
    // bounded by max_page_rows.
    struct PageFull {};
    output::StateListRenderer renderer(format_of(ndjson), {}, resolved);
    std::string body = renderer.begin();
    std::int64_t rows = 0;
    bool more = false;
    std::string last;
    {
        auto& store = call.service.reader();
        std::optional<Tx> tx;
        if (!travels) tx.emplace(store, false);
        try {
            each(store, *page.limit + 1, [&](const domain::SkuState& s) {
                if (rows == *page.limit) {
                    more = true;
                    throw PageFull{};
                }
                ++rows;
                last = s.sku;
                body += renderer.add(s);
            });
        } catch (const PageFull&) {
        }
    }
    body += renderer.finish();
    Response r;
    r.content_type = content_type_of(ndjson);
    r.body = std::move(body);
    if (more)
        r.set_header("Link", fmt::format("<{}>; rel=\"next\"", next_page_target("/inventory", call.target, last)));
    return r;
}

Response handle_history(const Call& call) {
    Params p(call.target, {"since", "until", "format"});
    app::HistoryQuery q{path_sku(call.match.sku), p.time("since"), p.time("until")};
    const bool ndjson = wants_ndjson(call);
    state_of(call.service, q.sku, app::At{});  // not_found before any output
    Response r = streamed(call.service, ndjson, false, [q, ndjson](store::EventStore& store, Chunker& out) {
        output::EventListRenderer renderer(format_of(ndjson), {}, true);
        out.add(renderer.begin());
        app::for_each_history(store, q, [&](const domain::EventRecord& e, const domain::State* s) {
            out.add(renderer.add(e, s));
        });
        out.add(renderer.finish());
    });
    r.sku = q.sku;
    return r;
}

Response handle_events(const Call& call) {
    Params p(call.target, {"after", "limit", "wait", "sku", "since", "until", "format"});
    store::EventFilter filter;
    filter.sku = p.sku("sku");
    filter.since = p.time("since");
    filter.until = p.time("until");
    filter.after_seq = p.count("after", 0, INT64_MAX).value_or(0);
    filter.limit = p.count("limit", 1, INT64_MAX);
    const auto wait = p.count("wait", 0, 60).value_or(0);
    const bool ndjson = wants_ndjson(call);

    if (wait > 0) {
        // A long poll: answer as soon as an event matches, or when the wait
        // is over (or the server stops) with what there is, maybe nothing.
        Service& service = call.service;
        const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(wait);
        for (;;) {
            std::int64_t head = 0;
            bool found = false;
            {
                auto& store = service.reader();
                Tx tx(store, false);
                head = store.head().seq;
                store::EventFilter probe = filter;
                probe.limit = 1;
                store.for_each_event(probe, [&](const domain::EventRecord&) {
                    found = true;
                    return false;
                });
            }
            const auto now = std::chrono::steady_clock::now();
            if (found || now >= deadline || service.stopping()) break;
            // Short slices, so that a stopping server does not wait the full time.
            const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - now);
            service.committer().wait_past(head, std::min(left, std::chrono::milliseconds(250)));
        }
    }
    Response r = streamed(call.service, ndjson, false, [filter, ndjson](store::EventStore& store, Chunker& out) {
        output::EventListRenderer renderer(format_of(ndjson), {}, false);
        out.add(renderer.begin());
        store.for_each_event(filter, [&](const domain::EventRecord& e) {
            out.add(renderer.add(e));
            return true;
        });
        out.add(renderer.finish());
    });
    if (filter.sku) r.sku = *filter.sku;
    return r;
}

}  // namespace invlog::http
