// MongoStore's reads: replay from snapshots, log queries, the ends of
// commands, export positions. A write transaction's reads see its own
// buffered events (replay) and states.
#include <limits>

#include <fmt/format.h>

#include "invlog/store/mongo/mongo_store.hpp"
#include "mongo_documents.hpp"

namespace invlog::store::mongo {

namespace {

constexpr std::int64_t unbounded = std::numeric_limits<std::int64_t>::max();

void put_sku(bson_t* d, std::string_view sku) {
    bson_append_utf8(d, "sku", 3, sku.data(), static_cast<int>(sku.size()));
}

// {field: {op: value, ...}} for the bounds that are set.
void put_range(bson_t* d, const char* field,
               std::initializer_list<std::pair<const char*, std::optional<std::int64_t>>> bounds, bool date = false) {
    bool any = false;
    for (const auto& b : bounds) any = any || b.second;
    if (!any) return;
    bson_t sub;
    bson_append_document_begin(d, field, -1, &sub);
    for (const auto& [op, value] : bounds)
        if (value) {
            if (date)
                bson_append_date_time(&sub, op, -1, *value);
            else
                bson_append_int64(&sub, op, -1, *value);
        }
    bson_append_document_end(d, &sub);
}

Bson filter_of(const EventFilter& f) {
    Bson doc(bson_new());
    bson_t* d = doc.get();
    if (f.sku) put_sku(d, *f.sku);
    put_range(d, "seq", {{"$gt", f.after_seq > 0 ? std::optional(f.after_seq) : std::nullopt}, {"$lte", f.max_seq}});
    put_range(d, "version",
              {{"$gt", f.after_version > 0 ? std::optional(f.after_version) : std::nullopt}, {"$lte", f.max_version}});
    put_range(d, "created_at", {{"$gte", f.since}, {"$lte", f.until}}, true);
    return doc;
}

Bson sort_opts(std::initializer_list<std::pair<const char*, int>> keys, std::optional<std::int64_t> limit = {}) {
    Bson doc(bson_new());
    bson_t sort;
    bson_append_document_begin(doc.get(), "sort", 4, &sort);
    for (const auto& [k, dir] : keys) bson_append_int32(&sort, k, -1, dir);
    bson_append_document_end(doc.get(), &sort);
    if (limit) BSON_APPEND_INT64(doc.get(), "limit", *limit);
    return doc;
}

}  // namespace

std::optional<RawEvent> MongoStore::event_at(std::string_view sku, std::int64_t version) {
    Bson filter(bson_new());
    put_sku(filter.get(), sku);
    BSON_APPEND_INT64(filter.get(), "version", version);
    auto doc = m_db->find_one("events", *filter);
    if (!doc) return std::nullopt;
    return read_event(*doc->get());
}

std::optional<Snapshot> MongoStore::stored_snapshot(std::string_view sku, std::int64_t version) {
    Bson filter(bson_new());
    put_sku(filter.get(), sku);
    BSON_APPEND_INT64(filter.get(), "version", version);
    auto doc = m_db->find_one("snapshots", *filter);
    if (!doc) return std::nullopt;
    return read_snapshot(*doc->get());
}

std::optional<Snapshot> MongoStore::nearest_snapshot(std::string_view sku, const Point& at) {
    if (m_format < 2) return std::nullopt;
    std::optional<Snapshot> snapshot;
    auto within = [&](const Snapshot& s) {
        return s.state.version <= at.max_version.value_or(unbounded) && s.seq <= at.max_seq.value_or(unbounded) &&
               s.recorded_at <= at.until.value_or(unbounded);
    };
    // This transaction's own snapshots are sealed by it; a stored one is
    // checked against its event.
    for (const auto& [key, s] : m_tx.snapshots)
        if (key.first == sku && within(s) && (!snapshot || s.state.version > snapshot->state.version)) snapshot = s;
    if (snapshot || m_tx.cleared) return snapshot;
    Bson filter(bson_new());
    put_sku(filter.get(), sku);
    put_range(filter.get(), "version", {{"$lte", at.max_version}});
    put_range(filter.get(), "seq", {{"$lte", at.max_seq}});
    put_range(filter.get(), "recorded_at", {{"$lte", at.until}}, true);
    auto doc = m_db->find_one("snapshots", *filter, sort_opts({{"version", -1}}, 1).get());
    if (!doc) return std::nullopt;
    Snapshot s = read_snapshot(*doc->get());
    auto event = event_at(sku, s.state.version);
    if (event && event->seq == s.seq && event->recorded_at == s.recorded_at &&
        snapshot_hash(m_sha, event->hash, s.sku, s.state, s.seq, s.recorded_at) == s.hash)
        return s;
    warn_once("untrusted_snapshot",
              fmt::format("the snapshot of {} at version {} does not match the log (edited, or left by events that "
                          "were changed or removed); it is ignored and {} is replayed from its first event. Run "
                          "'invlog verify', then 'invlog rebuild'",
                          sku, s.state.version, sku));
    return std::nullopt;
}

domain::SkuState MongoStore::replay(std::string_view sku, const Point& at) {
    domain::SkuState result{std::string(sku), {}, 0};
    if (auto snapshot = nearest_snapshot(sku, at)) {
        result.state = snapshot->state;
        result.updated_at = snapshot->recorded_at;
    }
    auto apply = [&](const RawEvent& e) {
        if (e.version <= result.state.version) return true;
        if (e.version > at.max_version.value_or(unbounded) || e.seq > at.max_seq.value_or(unbounded) ||
            e.recorded_at > at.until.value_or(unbounded))
            return false;
        auto event = decode_data(e.event_type, e.data);
        if (!event)
            throw domain::Failure(domain::ErrorKind::integrity, "undecodable_event",
                                  fmt::format("event seq {} of {} cannot be decoded; run 'invlog verify'", e.seq, sku));
        result.state = domain::evolve(result.state, *event);
        result.updated_at = e.recorded_at;
        return true;
    };
    EventFilter f;
    f.sku = std::string(sku);
    f.after_version = result.state.version;
    f.max_version = at.max_version;
    bool more = true;
    for_each_raw(f, [&](const RawEvent& e) { return more = apply(e); });
    // Then this transaction's own events of the SKU.
    for (const auto& e : m_tx.events)
        if (more && e.sku == sku) more = apply(e);
    return result;
}

void MongoStore::for_each_state(const StateRange& range, const std::function<void(const domain::SkuState&)>& fn) {
    // On _id, which is the SKU: a range of the _id index, sorted by it, so a
    // page costs a seek and its rows rather than a sort of the collection.
    Bson filter(bson_new());
    const auto prefix_end = range.prefix ? prefix_successor(*range.prefix) : std::nullopt;
    if (range.after || range.prefix) {
        bson_t id;
        bson_append_document_begin(filter.get(), "_id", 3, &id);
        if (range.after) BSON_APPEND_UTF8(&id, "$gt", range.after->c_str());
        if (range.prefix) BSON_APPEND_UTF8(&id, "$gte", range.prefix->c_str());
        if (prefix_end) BSON_APPEND_UTF8(&id, "$lt", prefix_end->c_str());
        bson_append_document_end(filter.get(), &id);
    }
    put_range(filter.get(), "available_quantity", {{"$lt", range.below}});
    m_db->find("inventory", *filter, sort_opts({{"_id", 1}}, range.limit).get(), [&](const bson_t& doc) {
        fn(read_state_doc(doc));
        return true;
    });
}

void MongoStore::for_each_sku(const std::function<void(const std::string&)>& fn) {
    // One index lookup per SKU on {sku, version}.
    std::string sku;
    for (;;) {
        bson_t* filter = BCON_NEW("sku", "{", "$gt", BCON_UTF8(sku.c_str()), "}");
        auto doc = m_db->find_one("events", *filter, sort_opts({{"sku", 1}, {"version", 1}}, 1).get());
        bson_destroy(filter);
        if (!doc) break;
        sku = read_event(*doc->get()).sku;
        fn(sku);
    }
}

void MongoStore::for_each_raw(const EventFilter& f, const std::function<bool(const RawEvent&)>& fn) {
    Bson opts = f.sku                           ? sort_opts({{"version", 1}}, f.limit)
                : f.order == Order::sku_version ? sort_opts({{"sku", 1}, {"version", 1}}, f.limit)
                                                : sort_opts({{"seq", 1}}, f.limit);
    m_db->find("events", *filter_of(f), opts.get(), [&](const bson_t& doc) { return fn(read_event(doc)); });
}

void MongoStore::for_each_event(const EventFilter& f, const std::function<bool(const domain::EventRecord&)>& fn) {
    for_each_raw(f, [&](const RawEvent& e) { return fn(decode_or_throw(RawEvent(e))); });
}

std::int64_t MongoStore::count_events(const EventFilter& f) { return m_db->count("events", *filter_of(f)); }

std::int64_t MongoStore::last_complete_seq(std::int64_t seq) {
    bson_t* upto = BCON_NEW("seq", "{", "$lte", BCON_INT64(seq), "}");
    auto at = m_db->find_one("events", *upto, sort_opts({{"seq", -1}}, 1).get());
    bson_destroy(upto);
    if (!at) return seq;
    const RawEvent e = read_event(*at->get());
    bson_t* after = BCON_NEW("seq", "{", "$gt", BCON_INT64(e.seq), "}");
    auto next = m_db->find_one("events", *after, sort_opts({{"seq", 1}}, 1).get());
    bson_destroy(after);
    if (!next || read_event(*next->get()).meta.command_id != e.meta.command_id) return seq;
    // Back over the command's own events to the one before it.
    bson_t* before = BCON_NEW("seq", "{", "$lt", BCON_INT64(e.seq), "}", "command_id", "{", "$ne",
                              BCON_UTF8(e.meta.command_id.c_str()), "}");
    auto prev = m_db->find_one("events", *before, sort_opts({{"seq", -1}}, 1).get());
    bson_destroy(before);
    return prev ? read_event(*prev->get()).seq : 0;
}

std::int64_t MongoStore::last_complete_version(std::string_view sku, std::int64_t version) {
    auto one = [&](const char* op, std::int64_t v, int dir, const std::string* not_command) {
        Bson filter(bson_new());
        put_sku(filter.get(), sku);
        put_range(filter.get(), "version", {{op, v}});
        if (not_command) {
            bson_t ne;
            bson_append_document_begin(filter.get(), "command_id", -1, &ne);
            BSON_APPEND_UTF8(&ne, "$ne", not_command->c_str());
            bson_append_document_end(filter.get(), &ne);
        }
        auto doc = m_db->find_one("events", *filter, sort_opts({{"version", dir}}, 1).get());
        return doc ? std::optional(read_event(*doc->get())) : std::nullopt;
    };
    auto at = one("$lte", version, -1, nullptr);
    if (!at) return version;
    auto next = one("$gt", at->version, 1, nullptr);
    if (!next || next->meta.command_id != at->meta.command_id) return version;
    auto prev = one("$lt", at->version, -1, &at->meta.command_id);
    return prev ? prev->version : 0;
}

std::optional<ExportPosition> MongoStore::read_export_position(std::string_view destination) {
    bson_t* filter = BCON_NEW("_id", BCON_UTF8(std::string(destination).c_str()));
    auto doc = m_db->find_one("export_positions", *filter);
    bson_destroy(filter);
    if (!doc) return std::nullopt;
    return read_position(*doc->get());
}

std::vector<ExportPosition> MongoStore::list_export_positions() {
    std::vector<ExportPosition> out;
    Bson all(bson_new());
    m_db->find("export_positions", *all, sort_opts({{"_id", 1}}).get(), [&](const bson_t& doc) {
        out.push_back(read_position(doc));
        return true;
    });
    return out;
}

void MongoStore::write_export_position(std::string_view destination, std::int64_t last_seq, domain::Millis now,
                                       const std::optional<util::Digest>& last_hash,
                                       const std::optional<std::string>& compat) {
    if (auto existing = read_export_position(destination); existing && existing->last_seq > last_seq) return;
    ExportPosition p{std::string(destination), last_seq, now, last_hash, compat};
    bson_t* filter = BCON_NEW("_id", BCON_UTF8(p.destination.c_str()));
    m_db->replace("export_positions", *filter, *position_doc(p));
    bson_destroy(filter);
}

void MongoStore::forget_export_position(std::string_view destination) {
    bson_t* filter = BCON_NEW("_id", BCON_UTF8(std::string(destination).c_str()));
    m_db->remove("export_positions", *filter);
    bson_destroy(filter);
}

}  // namespace invlog::store::mongo
