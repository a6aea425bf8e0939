// What the command line asks of an inventory, whether its log is a file
// beside it or behind `invlog serve`: each subcommand is written once against
// this interface, and --db chooses the implementation (a local file here,
// a server in the HTTP module). Results are domain values, so that both
// print through the same renderers.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>

#include "invlog/app/queries.hpp"
#include "invlog/app/service.hpp"
#include "invlog/app/upkeep.hpp"
#include "invlog/app/verify.hpp"
#include "invlog/batch/apply.hpp"
#include "invlog/store/event_store.hpp"

namespace invlog::client {

// A SKU now (no bound), as of a time, or right after a version.
struct ShowQuery {
    std::string sku;
    app::At at;
};

struct ShowResult {
    domain::SkuState state;
    // With a version: the one shown, which is earlier when the version asked
    // for falls inside a command (app::resolve_version).
    std::optional<std::int64_t> resolved_version;
};

// Every SKU now, as of a time, or right after a seq.
struct ListQuery {
    std::optional<domain::Millis> as_of;
    std::optional<std::int64_t> at_seq;
};

// What is known before the first row of a list: with a seq, the one shown
// (app::resolve_seq).
struct ListStart {
    std::optional<std::int64_t> resolved_seq;
};

class Inventory {
public:
    virtual ~Inventory() = default;

    // Where the log is, as the user named it (a path or a URL).
    virtual std::string location() const = 0;

    virtual app::Outcome execute(const app::Request& request) = 0;
    virtual ShowResult show(const ShowQuery& query) = 0;
    // Calls start once, before any row; a query that fails does so before it.
    virtual void list(const ListQuery& query, const std::function<void(const ListStart&)>& start,
                      const std::function<void(const domain::SkuState&)>& row) = 0;
    // Throws not_found before any row for an unknown SKU.
    virtual void history(const app::HistoryQuery& query,
                         const std::function<void(const domain::EventRecord&, const domain::State* after)>& row) = 0;
    // The callback returns false to stop.
    virtual void events(const store::EventFilter& filter,
                        const std::function<bool(const domain::EventRecord&)>& row) = 0;
    virtual batch::Summary apply(batch::LineReader& reader, const batch::Options& options,
                                 const batch::ResultSink& sink) = 0;
    virtual app::Stats stats() = 0;
    virtual app::VerifyReport verify(const app::VerifyOptions& options) = 0;
    // The SKUs that changed between two times (invlog diff). A server has no
    // route for it: this default refuses (file_only, a usage error), and the
    // local file overrides it.
    virtual void diff(const app::DiffQuery& query, const std::function<void(const app::DiffRow&)>& row);
};

// The inventory of a local file, over a store opened by the caller.
std::unique_ptr<Inventory> local_inventory(std::unique_ptr<store::EventStore> store);

}  // namespace invlog::client
