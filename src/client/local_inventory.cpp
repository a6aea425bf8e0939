// The inventory of a local file: the application layer over its store.
#include <fmt/format.h>

#include "invlog/client/inventory.hpp"
#include "invlog/domain/error.hpp"
#include "invlog/domain/text.hpp"
#include "invlog/util/time.hpp"

namespace invlog::client {
namespace {

class LocalInventory final : public Inventory {
public:
    explicit LocalInventory(std::unique_ptr<store::EventStore> store) : m_store(std::move(store)) {}

    std::string location() const override { return m_store->path(); }

    app::Outcome execute(const app::Request& request) override { return app::execute(*m_store, request, util::now_ms); }

    ShowResult show(const ShowQuery& query) override {
        ShowResult result;
        app::At at = query.at;
        if (at.version) {
            at.version = app::resolve_version(*m_store, query.sku, *at.version);
            result.resolved_version = at.version;
        }
        result.state =
            at.time || at.version ? app::state_at(*m_store, query.sku, at) : app::current_state(*m_store, query.sku);
        return result;
    }

    void list(const ListQuery& query, const std::function<void(const ListStart&)>& start,
              const std::function<void(const domain::SkuState&)>& row) override {
        ListStart head;
        store::Point at;
        at.until = query.as_of;
        if (query.at_seq) {
            at.max_seq = app::resolve_seq(*m_store, *query.at_seq);  // a seq past the head fails here
            head.resolved_seq = at.max_seq;
        }
        start(head);
        if (at.until || at.max_seq)
            app::for_each_state_at(*m_store, at, row);
        else
            app::for_each_current(*m_store, row);
    }

    void history(const app::HistoryQuery& query,
                 const std::function<void(const domain::EventRecord&, const domain::State*)>& row) override {
        app::for_each_history(*m_store, query, row);
    }

    void events(const store::EventFilter& filter, const std::function<bool(const domain::EventRecord&)>& row) override {
        m_store->for_each_event(filter, row);
    }

    batch::Summary apply(batch::LineReader& reader, const batch::Options& options,
                         const batch::ResultSink& sink) override {
        return batch::apply(*m_store, reader, options, sink);
    }

    app::Stats stats() override { return app::stats(*m_store); }

    app::VerifyReport verify(const app::VerifyOptions& options) override { return app::verify(*m_store, options); }

    void diff(const app::DiffQuery& query, const std::function<void(const app::DiffRow&)>& row) override {
        app::for_each_change(*m_store, query, row);
    }

private:
    std::unique_ptr<store::EventStore> m_store;
};

}  // namespace

void Inventory::diff(const app::DiffQuery&, const std::function<void(const app::DiffRow&)>&) {
    throw domain::usage_error("file_only", fmt::format("diff works only beside the database file, and --db names a "
                                                       "server ({}); run it where the file is, with --db PATH",
                                                       domain::shown(location())));
}

std::unique_ptr<Inventory> local_inventory(std::unique_ptr<store::EventStore> store) {
    return std::make_unique<LocalInventory>(std::move(store));
}

}  // namespace invlog::client
