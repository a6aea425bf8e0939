// The export loop: read a batch, upsert it, wait for the acknowledgement,
// then advance the stored position. A crash anywhere re-sends at most the
// batch in flight, which the upsert by _id makes harmless.
#include "invlog/export/mongo_export.hpp"

#include <algorithm>
#include <map>
#include <vector>

#include <fmt/format.h>

#include "invlog/app/queries.hpp"
#include "invlog/domain/error.hpp"
#include "invlog/export/document.hpp"
#include "invlog/export/mongo_sink.hpp"
#include "invlog/store/export_positions.hpp"
#include "invlog/util/time.hpp"

namespace invlog::exporter {
namespace {

using std::chrono::milliseconds;

constexpr milliseconds max_retry_delay{60'000};

std::vector<domain::EventRecord> read_batch(store::EventStore& store, const store::EventFilter& filter) {
    std::vector<domain::EventRecord> out;
    store.for_each_event(filter, [&](const domain::EventRecord& e) {
        out.push_back(e);
        return true;
    });
    return out;
}

// The state of each SKU after the exported events, for the inventory
// collection. A SKU first seen at version v is replayed up to v - 1 once.
class StateTracker {
public:
    explicit StateTracker(store::EventStore& store) : m_store(store) {}

    std::vector<domain::SkuState> after(const std::vector<domain::EventRecord>& batch) {
        std::vector<std::string> touched;
        for (const auto& e : batch) {
            auto it = m_states.find(e.sku);
            if (it == m_states.end()) {
                domain::SkuState before{e.sku, {}, 0};
                if (e.version > 1) before = app::state_at(m_store, e.sku, app::At{e.version - 1, std::nullopt});
                it = m_states.emplace(e.sku, before).first;
            }
            it->second.state = domain::evolve(it->second.state, e.event);
            it->second.updated_at = e.recorded_at;
            if (std::find(touched.begin(), touched.end(), e.sku) == touched.end()) touched.push_back(e.sku);
        }
        std::vector<domain::SkuState> out;
        for (const auto& sku : touched) out.push_back(m_states.at(sku));
        return out;
    }

private:
    store::EventStore& m_store;
    std::map<std::string, domain::SkuState> m_states;
};

std::string plural(std::int64_t n, std::string_view word) {
    return fmt::format("{} {}{}", n, word, n == 1 ? "" : (word.back() == 'h' ? "es" : "s"));
}

ExportSummary dry_run(store::EventStore& store, const store::EventFilter& filter, std::int64_t batch) {
    ExportSummary s;
    s.position = filter.after_seq;
    store.for_each_raw(filter, [&](const store::RawEvent& e) {
        if (s.events++ == 0) s.first_seq = e.seq;
        s.last_seq = e.seq;
        return true;
    });
    s.batches = (s.events + batch - 1) / batch;
    return s;
}

}  // namespace

ExportSummary export_to_mongo(store::EventStore& store, const MongoTarget& target, const MongoExportOptions& options,
                              const ExportHooks& hooks) {
    const auto started = std::chrono::steady_clock::now();
    const std::string key = target.position_key(options.sku);
    std::int64_t position = 0;
    if (!options.from_start)
        if (auto p = store::read_export_position(store, key)) position = p->last_seq;
    const std::int64_t head = store.head().seq;
    if (position > head)
        throw domain::Failure(domain::ErrorKind::conflict, "export_position_ahead",
                              fmt::format("the export position of {} is seq {}, but this log ends at seq {}: the "
                                          "database was replaced or restored; use --from-start to export it again",
                                          key, position, head));

    store::EventFilter filter;
    filter.sku = options.sku;
    filter.after_seq = position;
    // A single run stops at the end of the log as it was when it started, so
    // that it finishes even while writers keep appending.
    if (!options.follow) filter.max_seq = head;
    if (options.dry_run) {
        ExportSummary s = dry_run(store, filter, options.batch);
        s.elapsed = std::chrono::steady_clock::now() - started;
        return s;
    }
    const std::int64_t total = options.follow ? 0 : store::count_events(store, filter);
    filter.limit = options.batch;

    ExportSummary summary;
    summary.position = position;
    MongoSink sink(target);
    StateTracker states(store);
    bool ready = false;
    milliseconds retry_delay = std::max(options.interval, milliseconds(1000));
    while (!hooks.stop_requested()) {
        filter.after_seq = position;
        std::vector<domain::EventRecord> batch;
        try {
            if (!ready) {
                sink.check();
                sink.ensure_indexes();
                ready = true;
            }
            batch = read_batch(store, filter);
            if (batch.empty()) {
                if (!options.follow || !hooks.wait(options.interval)) break;
                continue;
            }
            std::vector<Bson> docs;
            docs.reserve(batch.size());
            for (const auto& e : batch) docs.push_back(event_document(e));
            sink.upsert(target.collection(), docs, [&](std::size_t i) {
                return fmt::format("SKU {} version {} (seq {}, event {})", batch[i].sku, batch[i].version,
                                   batch[i].seq, batch[i].event_id);
            });
            if (options.with_state) {
                auto after = states.after(batch);
                std::vector<Bson> state_docs;
                for (const auto& s : after) state_docs.push_back(state_document(s));
                sink.upsert(options.state_collection, state_docs,
                            [&](std::size_t i) { return fmt::format("SKU {}", after[i].sku); });
            }
        } catch (const MongoFailure& f) {
            const std::string progress =
                summary.events == 0
                    ? fmt::format("nothing was exported in this run; the position stays at seq {}", position)
                    : fmt::format("{} in this run were acknowledged, up to seq {}", plural(summary.events, "event"),
                                  position);
            if (!options.follow || !f.transient())
                throw MongoFailure(f.kind(), f.code(), fmt::format("{}; {}", f.what(), progress), f.transient());
            hooks.warn(fmt::format("{}; retrying in {} s", f.what(), retry_delay.count() / 1000.0));
            if (!hooks.wait(retry_delay)) break;
            retry_delay = std::min(retry_delay * 2, max_retry_delay);
            continue;
        }
        retry_delay = std::max(options.interval, milliseconds(1000));
        position = batch.back().seq;
        store::write_export_position(store, key, position, util::now_ms());
        if (summary.events == 0) summary.first_seq = batch.front().seq;
        summary.last_seq = position;
        summary.events += static_cast<std::int64_t>(batch.size());
        summary.batches += 1;
        summary.position = position;
        hooks.progress(summary.events, total);
    }
    summary.elapsed = std::chrono::steady_clock::now() - started;
    return summary;
}

std::string summary_line(const ExportSummary& s, const std::string& destination, bool dry_run) {
    if (s.events == 0)
        return dry_run ? fmt::format("dry run: nothing to export to {} (it is at seq {})", destination, s.position)
                       : fmt::format("nothing new to export: {} is up to date at seq {}", destination, s.position);
    const std::string what = fmt::format("{} in {} (seq {}..{}) to {}", plural(s.events, "event"),
                                         plural(s.batches, "batch"), s.first_seq, s.last_seq, destination);
    if (dry_run) return fmt::format("dry run: would export {}; nothing was sent", what);
    const double seconds = std::chrono::duration<double>(s.elapsed).count();
    return fmt::format("exported {} in {:.1f} s", what, seconds);
}

}  // namespace invlog::exporter
