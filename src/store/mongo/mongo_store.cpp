// MongoStore: opening a store's database, write transactions buffered in
// memory and committed as one MongoDB transaction behind the head's
// compare-and-set, and the write side of the interface.
#include "invlog/store/mongo/mongo_store.hpp"

#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <limits>
#include <random>
#include <thread>

#include <fmt/format.h>

#include "invlog/store/schema.hpp"
#include "mongo_documents.hpp"

namespace invlog::store::mongo {

using domain::ErrorKind;
using domain::Failure;

namespace {

Bson by_id(std::string_view id) {
    Bson doc(bson_new());
    bson_append_utf8(doc.get(), "_id", 3, id.data(), static_cast<int>(id.size()));
    return doc;
}

Bson keys(std::initializer_list<const char*> names) {
    Bson doc(bson_new());
    for (const char* n : names) BSON_APPEND_INT32(doc.get(), n, 1);
    return doc;
}

std::int64_t steady_ms() {
    return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now().time_since_epoch())
        .count();
}

std::int64_t wall_ms() {
    return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch())
        .count();
}

// Who holds the lease, for the message of a writer that gave up waiting.
std::string lease_owner() {
    char host[256] = {};
    if (gethostname(host, sizeof host - 1) != 0) host[0] = 0;
    return fmt::format("{}:{}", host, static_cast<long>(getpid()));
}

constexpr const char* lease_coll = "lease";

}  // namespace

MongoStore::MongoStore(const OpenOptions& options)
    : m_db(std::make_unique<Database>(options.path)), m_lock_timeout_ms(options.lock_timeout_ms) {
    m_shown = m_db->shown();
    auto format = m_db->find_one("meta", *by_id("format"));
    if (!format) {
        if (options.mode != OpenMode::write)
            throw Failure(ErrorKind::storage, "no_database",
                          fmt::format("no invlog database at {} (a write command or 'invlog init' creates it)",
                                      m_shown));
        m_db->create_unique_index("events", *keys({"seq"}), "seq_1");
        m_db->create_unique_index("events", *keys({"sku", "version"}), "sku_1_version_1");
        m_db->create_unique_index("snapshots", *keys({"sku", "version"}), "sku_1_version_1");
        // The head first: a store whose format document exists is complete.
        Bson head(bson_new());
        BSON_APPEND_UTF8(head.get(), "_id", "head");
        bson_concat(head.get(), head_fields(Head{}).get());
        m_db->insert("meta", *head);
        Bson doc(bson_new());
        BSON_APPEND_UTF8(doc.get(), "_id", "format");
        BSON_APPEND_INT64(doc.get(), "version", schema_version);
        // Another process may have created it meanwhile: then it is not ours.
        m_created = m_db->insert("meta", *doc);
        format = m_db->find_one("meta", *by_id("format"));
    }
    bson_iter_t it;
    m_format = format && bson_iter_init_find(&it, format->get(), "version") ? bson_iter_as_int64(&it) : 0;
    if (m_format > schema_version)
        throw Failure(ErrorKind::storage, "newer_schema",
                      fmt::format("{} was written by a newer invlog (format {}, this one knows {}); left untouched",
                                  m_shown, m_format, schema_version));
}

MongoStore::~MongoStore() = default;

Head MongoStore::stored_head() {
    auto doc = m_db->find_one("meta", *by_id("head"));
    return doc ? read_head(*doc->get()) : Head{};
}

Head MongoStore::head() { return m_tx.active ? m_tx.head : stored_head(); }

void MongoStore::take_lease() {
    std::uint8_t id[16];
    util::random_bytes(id, sizeof id);
    const std::string holder = util::to_hex(id, sizeof id);
    const std::string owner = lease_owner();
    const std::int64_t deadline = steady_ms() + m_lock_timeout_ms;
    static thread_local std::mt19937 rng{std::random_device{}()};
    for (int attempt = 1;; ++attempt) {
        const std::int64_t now = wall_ms();
        // Free (given back, or expired): take it. Held: the upsert meets the
        // _id of the holder's document.
        bson_t* filter = BCON_NEW("_id", BCON_UTF8("writer"), "until", "{", "$lt", BCON_INT64(now), "}");
        bson_t* update = BCON_NEW("$set", "{", "holder", BCON_UTF8(holder.c_str()), "until", BCON_INT64(now + lease_ms),
                                  "owner", BCON_UTF8(owner.c_str()), "}");
        const auto taken = m_db->update_one(lease_coll, *filter, *update, true);
        bson_destroy(filter);
        bson_destroy(update);
        if (taken == Database::Update::matched || taken == Database::Update::upserted) {
            m_lease = holder;
            m_lease_renewed_ms = steady_ms();
            return;
        }
        if (steady_ms() >= deadline) {
            std::string by;
            if (auto doc = m_db->find_one(lease_coll, *by_id("writer"))) {
                bson_iter_t it;
                if (bson_iter_init_find(&it, doc->get(), "owner") && BSON_ITER_HOLDS_UTF8(&it))
                    by = fmt::format(" (by {})", bson_iter_utf8(&it, nullptr));
            }
            throw Failure(ErrorKind::storage, "locked",
                          fmt::format("{} is being written by another process{}; gave up waiting after {} ms "
                                      "(--lock-timeout)",
                                      m_shown, by, m_lock_timeout_ms));
        }
        // Short, jittered pauses: a commit takes a few round trips.
        std::uniform_int_distribution<int> pause(1, std::min(5 * attempt, 50));
        std::this_thread::sleep_for(std::chrono::milliseconds(
            std::min<std::int64_t>(pause(rng), std::max<std::int64_t>(1, deadline - steady_ms()))));
    }
}

void MongoStore::keep_lease() {
    if (m_lease.empty() || steady_ms() - m_lease_renewed_ms < lease_ms / 5) return;
    bson_t* filter = BCON_NEW("_id", BCON_UTF8("writer"), "holder", BCON_UTF8(m_lease.c_str()));
    bson_t* update = BCON_NEW("$set", "{", "until", BCON_INT64(wall_ms() + lease_ms), "}");
    const auto kept = m_db->update_one(lease_coll, *filter, *update, false);
    bson_destroy(filter);
    bson_destroy(update);
    if (kept != Database::Update::matched) {
        m_lease.clear();
        throw Failure(ErrorKind::storage, "write_conflict",
                      fmt::format("this transaction outlived its turn to write to {} ({} ms) and another writer "
                                  "took over; nothing of it was applied",
                                  m_shown, lease_ms));
    }
    m_lease_renewed_ms = steady_ms();
}

void MongoStore::drop_lease() noexcept {
    if (m_lease.empty()) return;
    try {
        bson_t* filter = BCON_NEW("_id", BCON_UTF8("writer"), "holder", BCON_UTF8(m_lease.c_str()));
        bson_t* update = BCON_NEW("$set", "{", "until", BCON_INT64(0), "}");
        m_db->update_one(lease_coll, *filter, *update, false);
        bson_destroy(filter);
        bson_destroy(update);
    } catch (...) {
        // Not given back: it expires.
    }
    m_lease.clear();
}

void MongoStore::begin_transaction(bool write) {
    if (!write) return m_db->begin_snapshot();
    take_lease();
    m_tx = Buffer{};
    m_tx.active = true;
    try {
        // Read once: every write of this transaction is decided after it, and
        // the commit succeeds only if the head has not moved since.
        m_tx.base = m_tx.head = stored_head();
    } catch (...) {
        // No Transaction was made, so end_transaction will not run.
        m_tx = Buffer{};
        drop_lease();
        throw;
    }
}

void MongoStore::end_transaction(bool write, bool) noexcept {
    if (!write) return m_db->end_snapshot();
    m_tx = Buffer{};
    m_savepoints.clear();
    drop_lease();
}

void MongoStore::begin_savepoint() { m_savepoints.push_back(m_tx); }

void MongoStore::release_savepoint() { m_savepoints.pop_back(); }

void MongoStore::rollback_savepoint() noexcept {
    m_tx = std::move(m_savepoints.back());
    m_savepoints.pop_back();
}

template <class Fn>
void MongoStore::autocommit(Fn&& fn) {
    if (m_tx.active) {
        keep_lease();
        return fn();
    }
    Transaction tx(*this, true);
    fn();
    tx.commit();
}

void MongoStore::commit_transaction(bool write) {
    if (!write) return;
    if (!m_tx.empty()) commit_buffer();
    // The write is over: the turn goes to the next writer now, not when the
    // Transaction object ends, and a write made after the commit through the
    // same object is a transaction of its own.
    end_transaction(true, false);
}

void MongoStore::commit_buffer() {
    keep_lease();
    const Buffer& b = m_tx;
    auto result = m_db->transaction([&](Database::TxOpts tx) {
        const bson_t* opts = tx.opts;
        // The head first: a writer that lost the race stops here.
        Bson filter = by_id("head");
        BSON_APPEND_INT64(filter.get(), "seq", b.base.seq);
        Bson update(bson_new());
        BSON_APPEND_DOCUMENT(update.get(), "$set", head_fields(b.head).get());
        if (m_db->tx_cas("meta", *filter, *update, opts) == WriteResult::conflict) return WriteResult::conflict;
        for (const auto& e : b.events)
            if (m_db->tx_insert("events", *event_doc(e), opts) == WriteResult::conflict) return WriteResult::conflict;
        Bson all(bson_new());
        if (b.cleared) {
            m_db->tx_remove("inventory", *all, opts);
            m_db->tx_remove("snapshots", *all, opts);
        }
        for (const auto& [sku, s] : b.states) {
            // A state replaces only an older one of its SKU: the read model
            // never goes back, even where a server applies part of a
            // transaction that lost the race (jongodb: RELIABILITY.md).
            Bson older_state = by_id(sku);
            bson_t older;
            bson_append_document_begin(older_state.get(), "version", -1, &older);
            BSON_APPEND_INT64(&older, "$lt", s.state.version);
            bson_append_document_end(older_state.get(), &older);
            m_db->tx_replace("inventory", *older_state, *state_doc(s), opts);
        }
        for (const auto& [at, s] : b.snapshots)
            m_db->tx_replace("snapshots", *by_id(snapshot_id(s.sku, s.state.version)), *snapshot_doc(s), opts);
        for (const auto& [key, entry] : b.keys)
            if (m_db->tx_insert("idempotency", *key_doc(key, entry), opts) == WriteResult::conflict)
                return WriteResult::conflict;
        for (const auto& [key, value] : b.settings) {
            Bson id = by_id("setting:" + key);
            if (!value) {
                m_db->tx_remove("meta", *id, opts);
                continue;
            }
            Bson doc = by_id("setting:" + key);
            BSON_APPEND_UTF8(doc.get(), "kind", "setting");
            bson_append_utf8(doc.get(), "key", -1, key.data(), static_cast<int>(key.size()));
            bson_append_utf8(doc.get(), "value", -1, value->data(), static_cast<int>(value->size()));
            m_db->tx_replace("meta", *id, *doc, opts);
        }
        return WriteResult::done;
    });
    if (result == WriteResult::unknown) {
        // The head says whether the commit landed: only this transaction
        // can have set it to its own last hash.
        const Head now = stored_head();
        if (!b.events.empty() && now.seq == b.head.seq && now.hash == b.head.hash) return;
        if (b.events.empty())
            throw Failure(ErrorKind::storage, "mongo_connection_lost",
                          fmt::format("the connection to {} was lost during a commit; whether it was applied is "
                                      "unknown: check with 'invlog config list'",
                                      m_shown));
        // Not applied (the head is elsewhere): decided again as a conflict.
        result = WriteResult::conflict;
    }
    if (result == WriteResult::conflict)
        throw Failure(ErrorKind::storage, "write_conflict",
                      fmt::format("another writer changed {} meanwhile; nothing of this transaction was applied",
                                  m_shown));
}

std::vector<domain::EventRecord> MongoStore::append(std::string_view sku, const domain::State& before,
                                                    const std::vector<domain::Event>& events,
                                                    const domain::Metadata& meta, domain::Millis now) {
    std::vector<domain::EventRecord> out;
    autocommit([&] {
        Head& h = m_tx.head;
        const domain::Millis at = std::max(now, h.recorded_at);
        check_room(h, sku, before, events.size());
        if (!m_tx.snapshot_every) m_tx.snapshot_every = snapshot_every();
        const std::int64_t every = *m_tx.snapshot_every;
        domain::State state = before;
        for (const auto& event : events) {
            RawEvent raw;
            raw.sku = sku;
            raw.recorded_at = at;
            raw.meta = meta;
            raw.seq = h.seq + 1;
            raw.event_id = util::next_uuid_v7(at, h.event_id);
            raw.version = state.version + 1;
            raw.event_type = domain::event_type(event);
            raw.data = encode_data(event);
            raw.hash = chain_hash(m_sha, h.hash, raw);
            h = Head{raw.seq, raw.hash, at, raw.event_id};
            state = domain::evolve(state, event);
            if (every > 0 && state.version % every == 0)
                save_snapshot(Snapshot{raw.sku, state, raw.seq, at, {}}, raw.hash);
            out.push_back(domain::EventRecord{raw.seq, raw.event_id, raw.sku, raw.version, event, at, meta,
                                              util::to_hex(raw.hash)});
            m_tx.events.push_back(std::move(raw));
        }
        m_tx.states.insert_or_assign(std::string(sku), domain::SkuState{std::string(sku), state, at});
    });
    return out;
}

void MongoStore::import_event(const RawEvent& event) {
    autocommit([&] {
        Head& h = m_tx.head;
        const std::int64_t next_version = last_version(event.sku) + 1;
        if (event.seq != h.seq + 1 || event.version != next_version || chain_hash(m_sha, h.hash, event) != event.hash)
            throw Failure(ErrorKind::integrity, "import_out_of_order",
                          fmt::format("event seq {} of {} (version {}) does not continue the log of {} (head seq {}, "
                                      "{}'s next version {}) or its hash does not chain",
                                      event.seq, event.sku, event.version, m_shown, h.seq, event.sku, next_version));
        h = Head{event.seq, event.hash, std::max(h.recorded_at, event.recorded_at), event.event_id};
        m_tx.events.push_back(event);
    });
}

std::int64_t MongoStore::last_version(std::string_view sku) {
    for (auto it = m_tx.events.rbegin(); it != m_tx.events.rend(); ++it)
        if (it->sku == sku) return it->version;
    Bson filter(bson_new());
    bson_append_utf8(filter.get(), "sku", -1, sku.data(), static_cast<int>(sku.size()));
    bson_t* opts = BCON_NEW("sort", "{", "version", BCON_INT32(-1), "}");
    auto doc = m_db->find_one("events", *filter, opts);
    bson_destroy(opts);
    return doc ? read_event(*doc->get()).version : 0;
}

domain::State MongoStore::load(std::string_view sku) {
    if (auto it = m_tx.states.find(std::string(sku)); it != m_tx.states.end()) return it->second.state;
    return replay(sku, Point{}).state;
}

std::optional<IdempotencyEntry> MongoStore::find_idempotency(std::string_view key) {
    for (const auto& [k, entry] : m_tx.keys)
        if (k == key) return entry;
    auto doc = m_db->find_one("idempotency", *by_id(key));
    if (!doc) return std::nullopt;
    return read_key(*doc->get());
}

void MongoStore::record_idempotency(std::string_view key, const IdempotencyEntry& entry) {
    autocommit([&] { m_tx.keys.emplace_back(std::string(key), entry); });
}

std::optional<domain::SkuState> MongoStore::read_state(std::string_view sku) {
    if (auto it = m_tx.states.find(std::string(sku)); it != m_tx.states.end()) return it->second;
    if (m_tx.cleared) return std::nullopt;
    auto doc = m_db->find_one("inventory", *by_id(sku));
    if (!doc) return std::nullopt;
    return read_state_doc(*doc->get());
}

void MongoStore::write_state(const domain::SkuState& s) {
    autocommit([&] { m_tx.states.insert_or_assign(s.sku, s); });
}

void MongoStore::save_snapshot(const Snapshot& s, const util::Digest& event_hash) {
    Snapshot sealed = s;
    sealed.hash = snapshot_hash(m_sha, event_hash, s.sku, s.state, s.seq, s.recorded_at);
    autocommit([&] { m_tx.snapshots.insert_or_assign(std::pair(s.sku, s.state.version), sealed); });
}

void MongoStore::clear_derived() {
    autocommit([&] {
        m_tx.cleared = true;
        m_tx.states.clear();
        m_tx.snapshots.clear();
    });
}

std::optional<std::string> MongoStore::read_setting(std::string_view key) {
    if (auto it = m_tx.settings.find(std::string(key)); it != m_tx.settings.end()) return it->second;
    auto doc = m_db->find_one("meta", *by_id("setting:" + std::string(key)));
    if (!doc) return std::nullopt;
    bson_iter_t it;
    if (!bson_iter_init_find(&it, doc->get(), "value") || !BSON_ITER_HOLDS_UTF8(&it)) return std::string();
    return std::string(bson_iter_utf8(&it, nullptr));
}

void MongoStore::write_setting(std::string_view key, std::string_view value) {
    autocommit([&] { m_tx.settings.insert_or_assign(std::string(key), std::string(value)); });
}

bool MongoStore::delete_setting(std::string_view key) {
    const bool was_set = read_setting(key).has_value();
    autocommit([&] { m_tx.settings.insert_or_assign(std::string(key), std::nullopt); });
    return was_set;
}

void MongoStore::for_each_setting(const std::function<void(std::string_view key, std::string_view value)>& fn) {
    std::map<std::string, std::optional<std::string>> all;
    bson_t* filter = BCON_NEW("kind", BCON_UTF8("setting"));
    m_db->find("meta", *filter, nullptr, [&](const bson_t& doc) {
        bson_iter_t k, v;
        if (bson_iter_init_find(&k, &doc, "key") && BSON_ITER_HOLDS_UTF8(&k) &&
            bson_iter_init_find(&v, &doc, "value") && BSON_ITER_HOLDS_UTF8(&v))
            all[bson_iter_utf8(&k, nullptr)] = std::string(bson_iter_utf8(&v, nullptr));
        return true;
    });
    bson_destroy(filter);
    for (const auto& [k, v] : m_tx.settings) all[k] = v;
    for (const auto& [k, v] : all)
        if (v) fn(k, *v);
}

}  // namespace invlog::store::mongo
