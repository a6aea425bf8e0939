// The export loop: read a batch, upsert it, wait for the acknowledgement,
// then advance the stored position. A crash anywhere re-sends at most the
// batch in flight, which the upsert by _id (and, for the SKU states, the
// version guard) makes harmless.
#include "invlog/export/mongo_export.hpp"

#include <algorithm>
#include <iterator>
#include <map>
#include <optional>
#include <vector>

#include <fmt/format.h>

#include "invlog/app/queries.hpp"
#include "invlog/domain/error.hpp"
#include "invlog/export/destination_use.hpp"
#include "invlog/export/document.hpp"
#include "invlog/export/mongo_sink.hpp"
#include "invlog/export/seed.hpp"
#include "invlog/store/export_positions.hpp"
#include "invlog/telemetry/span.hpp"
#include "invlog/util/crypto.hpp"
#include "invlog/util/time.hpp"

namespace invlog::exporter {
namespace {

using std::chrono::milliseconds;

constexpr milliseconds max_retry_delay{60'000};

// A batch of events, and the hash of the last one as the position keeps it.
struct Batch {
    std::vector<domain::EventRecord> events;
    util::Digest last_hash{};
};

Batch read_batch(store::EventStore& store, const store::EventFilter& filter) {
    Batch out;
    store.for_each_raw(filter, [&](const store::RawEvent& raw) {
        out.last_hash = raw.hash;
        out.events.push_back(store::decode_or_throw(store::RawEvent(raw)));
        return true;
    });
    return out;
}

// The hash of the event at seq; nullopt when the log has no such event.
std::optional<util::Digest> hash_at(store::EventStore& store, std::int64_t seq) {
    store::EventFilter filter;
    filter.after_seq = seq - 1;
    filter.max_seq = seq;
    std::optional<util::Digest> out;
    store.for_each_raw(filter, [&](const store::RawEvent& raw) {
        out = raw.hash;
        return false;
    });
    return out;
}

// The state of each SKU after the exported events, for the inventory
// collection. A SKU first seen at version v is replayed up to v - 1 once.
// after() only computes; commit() remembers, once the server has
// acknowledged the states, so that a batch sent again after a failure is
// applied to the states it was not yet applied to, not a second time.
class StateTracker {
public:
    explicit StateTracker(store::EventStore& store) : m_store(store) {}

    std::vector<domain::SkuState> after(const std::vector<domain::EventRecord>& batch) const {
        std::vector<domain::SkuState> out;  // one per SKU, in the order the batch first touches them
        for (const auto& e : batch) {
            auto it = std::find_if(out.begin(), out.end(), [&](const domain::SkuState& s) { return s.sku == e.sku; });
            if (it == out.end()) {
                out.push_back(before(e));
                it = std::prev(out.end());
            }
            it->state = domain::evolve(it->state, e.event);
            it->updated_at = e.recorded_at;
        }
        return out;
    }

    void commit(const std::vector<domain::SkuState>& states) {
        for (const auto& s : states) m_states.insert_or_assign(s.sku, s);
    }

private:
    domain::SkuState before(const domain::EventRecord& e) const {
        if (auto it = m_states.find(e.sku); it != m_states.end()) return it->second;
        if (e.version > 1) return app::state_at(m_store, e.sku, app::At{e.version - 1, std::nullopt});
        return domain::SkuState{e.sku, {}, 0};
    }

    store::EventStore& m_store;
    std::map<std::string, domain::SkuState> m_states;
};

// A follower outlives another writer that holds the SQLite lock past
// --lock-timeout: it warns once per stretch and tries again after a growing
// delay. A single run fails instead, with the storage status.
class LockWaiter {
public:
    LockWaiter(const ExportHooks& hooks, bool follow) : m_hooks(hooks), m_follow(follow) {}

    bool handles(const domain::Failure& f) const { return m_follow && f.code() == "locked"; }

    // Waits before the next attempt; false when a stop was requested meanwhile.
    bool wait(const domain::Failure& f) {
        if (!m_warned) m_hooks.warn(fmt::format("{}; --follow keeps retrying until it is released", f.what()));
        m_warned = true;
        const bool go_on = m_hooks.wait(m_delay);
        m_delay = std::min(m_delay * 2, max_lock_delay);
        return go_on;
    }

    // A write went through: the lock was released, and the next stretch is
    // warned about anew.
    void released() {
        m_warned = false;
        m_delay = first_lock_delay;
    }

private:
    static constexpr milliseconds first_lock_delay{250};
    static constexpr milliseconds max_lock_delay{5000};

    const ExportHooks& m_hooks;
    bool m_follow;
    bool m_warned = false;
    milliseconds m_delay = first_lock_delay;
};

std::string plural(std::int64_t n, std::string_view word) {
    return fmt::format("{} {}{}", n, word, n == 1 ? "" : (word.back() == 'h' ? "es" : "s"));
}

// Where the export resumes (after the stored position, once it is shown to
// describe this log), and the head of the log, read after the position so
// that another exporter cannot have recorded a seq beyond it.
struct Resume {
    std::int64_t after = 0;
    std::int64_t head = 0;
    // Positions of the destination in the other mode, which --from-start
    // rewrites: forgotten once its first batch is acknowledged, so that a
    // rewrite that fails before leaves the mode on record as it was.
    std::vector<std::string> rewritten;
};

// --from-start resumes at the start; it forgets a stored position that does
// not describe this log, so that it records its own (a valid one stays,
// since positions never move back).
Resume resume(store::EventStore& store, const MongoTarget& target, const std::string& key,
              const MongoExportOptions& options) {
    DestinationUse use{target.shown(), std::nullopt, options.compat, options.from_start};
    if (options.with_state) use.state = target.shown(options.state_collection);
    // A rewrite in another mode starts afresh: the other mode's positions
    // would otherwise stay (positions never move back) and mix the modes.
    std::vector<std::string> rewritten = check_destination_use(use, store.list_export_positions());
    if (options.dry_run) rewritten.clear();
    auto stored = store.read_export_position(key);
    const std::int64_t head = store.head().seq;
    if (!stored || std::find(rewritten.begin(), rewritten.end(), key) != rewritten.end())
        return {0, head, std::move(rewritten)};
    std::optional<domain::Failure> invalid;
    if (stored->last_seq > head) {
        invalid.emplace(domain::ErrorKind::conflict, "export_position_ahead",
                        fmt::format("the export position of {} is seq {}, but this log ends at seq {}: the "
                                    "database was replaced or restored; use --from-start to export it again",
                                    key, stored->last_seq, head));
    } else if (stored->last_hash) {
        // Positions recorded before format 2 have no hash; they resume
        // unchecked, and get one with their next batch.
        auto now = hash_at(store, stored->last_seq);
        if (now != stored->last_hash)
            invalid.emplace(
                domain::ErrorKind::integrity, "export_log_replaced",
                fmt::format("the log is not the one exported to {}: the event at its position, seq {}, had hash {} "
                            "when it was exported and has {} now (the database was replaced, restored or rewritten "
                            "since); use --from-start to export this log again, into a collection that does not "
                            "hold the other log's events",
                            key, stored->last_seq, util::to_hex(*stored->last_hash),
                            now ? util::to_hex(*now) : std::string("no event")));
    }
    if (!options.from_start) {
        if (invalid) throw *invalid;
        return {stored->last_seq, head, {}};
    }
    if (invalid && !options.dry_run) store.forget_export_position(key);
    return {0, head, std::move(rewritten)};
}

// What the positions cannot show: a collection that another host or an
// earlier version filled. State documents ({_id: sku, ..., updated_at}, no
// event_type) among the events, or events in the state collection, are
// refused before anything is written.
void check_collection_contents(MongoSink& sink, const MongoTarget& target, const MongoExportOptions& options) {
    Bson states(BCON_NEW("updated_at", "{", "$exists", BCON_BOOL(true), "}", "event_type", "{", "$exists",
                         BCON_BOOL(false), "}"));
    if (sink.holds(target.collection(), states))
        throw domain::usage_error(
            "shared_collection",
            fmt::format("{} holds SKU state documents (written by --with-state), where a reader of events would take "
                        "them for events; export the events to another collection (--collection)",
                        target.shown()));
    Bson events(BCON_NEW("event_type", "{", "$exists", BCON_BOOL(true), "}"));
    if (options.with_state && sink.holds(options.state_collection, events))
        throw domain::usage_error(
            "shared_collection",
            fmt::format("the state documents of --with-state would go into {}, which holds events; give "
                        "--state-collection another name",
                        target.shown(options.state_collection)));
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
    auto [after, head, rewritten] = resume(store, target, key, options);
    std::int64_t position = after;

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
    const std::int64_t total = options.follow ? 0 : store.count_events(filter);
    filter.limit = options.batch;

    ExportSummary summary;
    summary.position = position;
    MongoSink sink(target);
    StateTracker states(store);
    SeedSequencer seeds(store);
    LockWaiter locks(hooks, options.follow);
    bool ready = false;
    milliseconds retry_delay = std::max(options.interval, milliseconds(1000));
    while (!hooks.stop_requested()) {
        filter.after_seq = position;
        Batch read;
        const std::vector<domain::EventRecord>& batch = read.events;
        std::vector<domain::SkuState> states_after;
        SeedSequencer::Translation seed_docs;
        std::optional<telemetry::Span> batch_span;  // from the read to the recorded position
        try {
            if (!ready) {
                sink.check();
                check_collection_contents(sink, target, options);
                sink.ensure_indexes(options.compat);
                ready = true;
            }
            read = read_batch(store, filter);
            if (batch.empty()) {
                if (!options.follow || !hooks.wait(options.interval)) break;
                continue;
            }
            batch_span.emplace("export_batch");
            batch_span->set_string("invlog.export.destination", "mongo");
            batch_span->set_int("invlog.export.events", static_cast<std::int64_t>(batch.size()));
            std::vector<Bson> docs;
            if (options.compat == Compat::seed) {
                seed_docs = seeds.translate(batch);
                docs.reserve(seed_docs.documents.size());
                for (const auto& d : seed_docs.documents) docs.push_back(seed_document(d));
                sink.upsert(target.collection(), docs, [&](std::size_t i) {
                    const SeedDocument& d = seed_docs.documents[i];
                    return fmt::format("SKU {} version {} part {} (seq {}, document {})", d.record->sku,
                                       d.record->version, d.part, d.record->seq, d.id);
                });
            } else {
                docs.reserve(batch.size());
                for (const auto& e : batch) docs.push_back(event_document(e));
                sink.upsert(target.collection(), docs, [&](std::size_t i) {
                    return fmt::format("SKU {} version {} (seq {}, event {})", batch[i].sku, batch[i].version,
                                       batch[i].seq, batch[i].event_id);
                });
            }
            if (options.with_state) {
                states_after = states.after(batch);
                std::vector<Bson> state_docs;
                for (const auto& s : states_after) state_docs.push_back(state_document(s));
                sink.upsert_newer(options.state_collection, state_docs,
                                  [&](std::size_t i) { return fmt::format("SKU {}", states_after[i].sku); });
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
        } catch (const domain::Failure& f) {
            if (!locks.handles(f)) throw;
            if (!locks.wait(f)) break;
            continue;
        }
        retry_delay = std::max(options.interval, milliseconds(1000));
        states.commit(states_after);
        seeds.commit(std::move(seed_docs));
        // The server has the batch: record it, waiting out another writer's
        // lock when following (a stop meanwhile leaves the batch to be sent
        // again next time, which the upserts make harmless).
        bool recorded = false;
        while (!recorded) {
            try {
                for (; !rewritten.empty(); rewritten.pop_back()) store.forget_export_position(rewritten.back());
                store.write_export_position(key, batch.back().seq, util::now_ms(), read.last_hash,
                                            compat_setting(options.compat));
                recorded = true;
                locks.released();
            } catch (const domain::Failure& f) {
                if (!locks.handles(f)) throw;
                if (!locks.wait(f)) break;
            }
        }
        if (!recorded) break;
        position = batch.back().seq;
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
