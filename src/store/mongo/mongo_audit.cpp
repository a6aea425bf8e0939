// MongoStore's reads for verify and stats. They hold the snapshots and keys
// in memory while the events stream (a store that verify can read at all
// holds them); there are no joins to lean on.
#include <map>

#include <fmt/format.h>

#include "invlog/store/mongo/mongo_store.hpp"
#include "mongo_documents.hpp"

namespace invlog::store::mongo {

namespace {

Bson sorted(std::initializer_list<const char*> keys) {
    Bson doc(bson_new());
    bson_t sort;
    bson_append_document_begin(doc.get(), "sort", 4, &sort);
    for (const char* k : keys) bson_append_int32(&sort, k, -1, 1);
    bson_append_document_end(doc.get(), &sort);
    return doc;
}

}  // namespace

void MongoStore::for_each_audit_row(const std::function<void(const AuditRow&)>& fn) {
    std::map<std::pair<std::string, std::int64_t>, Snapshot> snapshots;
    std::map<std::string, IdempotencyEntry> keys;
    Bson all(bson_new());
    m_db->find("snapshots", *all, nullptr, [&](const bson_t& doc) {
        Snapshot s = read_snapshot(doc);
        snapshots.insert_or_assign(std::pair(s.sku, s.state.version), std::move(s));
        return true;
    });
    m_db->find("idempotency", *all, nullptr, [&](const bson_t& doc) {
        keys.insert_or_assign(doc_id(doc), read_key(doc));
        return true;
    });
    AuditRow row;
    m_db->find("events", *all, sorted({"seq"}).get(), [&](const bson_t& doc) {
        row.wrong_types.clear();
        row.event = read_event(doc, &row.wrong_types);
        row.snapshot.reset();
        row.idempotency.reset();
        if (auto it = snapshots.find(std::pair(row.event.sku, row.event.version)); it != snapshots.end())
            row.snapshot = it->second;
        if (row.event.meta.idempotency_key)
            if (auto it = keys.find(*row.event.meta.idempotency_key); it != keys.end()) row.idempotency = it->second;
        fn(row);
        return true;
    });
}

void MongoStore::for_each_key_target(const std::function<void(const KeyTarget&)>& fn) {
    Bson all(bson_new());
    std::vector<KeyTarget> targets;
    m_db->find("idempotency", *all, sorted({"_id"}).get(), [&](const bson_t& doc) {
        targets.push_back(KeyTarget{doc_id(doc), read_key(doc), std::nullopt});
        return true;
    });
    for (auto& t : targets) {
        t.event = event_at(t.entry.sku, t.entry.version);
        fn(t);
    }
}

void MongoStore::for_each_orphan_snapshot(const std::function<void(const Snapshot&)>& fn) {
    Bson all(bson_new());
    std::vector<Snapshot> snapshots;
    m_db->find("snapshots", *all, sorted({"sku", "version"}).get(), [&](const bson_t& doc) {
        snapshots.push_back(read_snapshot(doc));
        return true;
    });
    for (const auto& s : snapshots)
        if (!event_at(s.sku, s.state.version)) fn(s);
}

void MongoStore::for_each_wrong_type_row(const std::function<void(const WrongTypeRow&)>& fn) {
    Bson all(bson_new());
    auto check = [&](const char* coll, auto read) {
        m_db->find(coll, *all, sorted({"_id"}).get(), [&](const bson_t& doc) {
            std::string wrong;
            read(doc, &wrong);
            if (!wrong.empty()) fn(WrongTypeRow{coll, doc_id(doc), wrong});
            return true;
        });
    };
    check("inventory", [](const bson_t& d, std::string* w) { read_state_doc(d, w); });
    check("snapshots", [](const bson_t& d, std::string* w) { read_snapshot(d, w); });
    check("idempotency", [](const bson_t& d, std::string* w) { read_key(d, w); });
}

std::optional<std::int64_t> MongoStore::first_seq_of_format(std::int64_t version) {
    if (version > m_format) return std::nullopt;
    return 1;
}

AheadOfLog MongoStore::derived_ahead_of_log() {
    AheadOfLog out;
    std::map<std::string, std::int64_t> last;  // the last version of each SKU seen so far
    auto last_of = [&](const std::string& sku) {
        auto it = last.find(sku);
        if (it == last.end()) it = last.emplace(sku, last_version(sku)).first;
        return it->second;
    };
    auto note = [&](std::int64_t& counter, const char* table, const std::string& what, std::int64_t version,
                    std::int64_t last_version) {
        if (++counter > 3) return;
        out.examples.push_back(last_version == 0
                                   ? fmt::format("{}: {} at version {}, which has no events", table, what, version)
                                   : fmt::format("{}: {} at version {}, its last event is version {}", table, what,
                                                 version, last_version));
    };
    Bson all(bson_new());
    m_db->find("inventory", *all, sorted({"sku"}).get(), [&](const bson_t& doc) {
        auto s = read_state_doc(doc);
        out.implied_head_seq += s.state.version;
        if (auto l = last_of(s.sku); s.state.version > l)
            note(out.inventory_rows, "inventory", s.sku, s.state.version, l);
        return true;
    });
    m_db->find("snapshots", *all, sorted({"sku", "version"}).get(), [&](const bson_t& doc) {
        auto s = read_snapshot(doc);
        if (auto l = last_of(s.sku); s.state.version > l)
            note(out.snapshots, "snapshots", "the snapshot of " + s.sku, s.state.version, l);
        return true;
    });
    m_db->find("idempotency", *all, sorted({"_id"}).get(), [&](const bson_t& doc) {
        auto e = read_key(doc);
        if (auto l = last_of(e.sku); e.version > l)
            note(out.idempotency_keys, "idempotency", fmt::format("idempotency key '{}' names {}", doc_id(doc), e.sku),
                 e.version, l);
        return true;
    });
    return out;
}

std::int64_t MongoStore::delete_keys_ahead_of_log() {
    Bson all(bson_new());
    std::vector<std::string> ahead;
    m_db->find("idempotency", *all, nullptr, [&](const bson_t& doc) {
        auto e = read_key(doc);
        if (e.version > last_version(e.sku)) ahead.push_back(doc_id(doc));
        return true;
    });
    for (const auto& key : ahead) {
        bson_t* filter = BCON_NEW("_id", BCON_UTF8(key.c_str()));
        m_db->remove("idempotency", *filter);
        bson_destroy(filter);
    }
    return static_cast<std::int64_t>(ahead.size());
}

Counts MongoStore::counts() {
    Counts c;
    Bson all(bson_new());
    c.events = m_db->count("events", *all);
    c.skus = m_db->count("inventory", *all);
    c.snapshots = m_db->count("snapshots", *all);
    c.idempotency_keys = m_db->count("idempotency", *all);
    bson_t* first = BCON_NEW("sort", "{", "seq", BCON_INT32(1), "}");
    bson_t* last = BCON_NEW("sort", "{", "seq", BCON_INT32(-1), "}");
    auto a = m_db->find_one("events", *all, first);
    auto b = m_db->find_one("events", *all, last);
    bson_destroy(first);
    bson_destroy(last);
    if (a && b) {
        c.first_recorded_at = read_event(*a->get()).recorded_at;
        c.last_recorded_at = read_event(*b->get()).recorded_at;
    }
    return c;
}

}  // namespace invlog::store::mongo
