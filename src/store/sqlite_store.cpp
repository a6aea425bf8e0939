// SqliteStore: opening and recognising the file, transactions, appending and
// querying the event log.
#include "invlog/store/sqlite_store.hpp"

#include <algorithm>
#include <filesystem>
#include <limits>

#include <fmt/format.h>

#include "invlog/domain/error.hpp"
#include "invlog/store/read_access.hpp"
#include "invlog/store/schema.hpp"

namespace invlog::store {

using domain::ErrorKind;
using domain::Failure;

namespace fs = std::filesystem;

SqliteStore::SqliteStore(const OpenOptions& options) { open_file(options); }

SqliteStore::~SqliteStore() = default;

void SqliteStore::open_file(const OpenOptions& options) {
    const bool write = options.mode == OpenMode::write;
    std::error_code ec;
    const bool exists = fs::exists(options.path, ec);
    if (!exists) {
        if (!write)
            throw Failure(ErrorKind::storage, "no_database",
                          fmt::format("no invlog database at {} (a write command or 'invlog init' creates it)",
                                      options.path));
        if (options.create_parent) {
            auto parent = fs::path(options.path).parent_path();
            if (!parent.empty()) fs::create_directories(parent, ec);
        }
    } else if (fs::is_directory(options.path, ec)) {
        throw Failure(ErrorKind::storage, "cannot_open",
                      fmt::format("cannot open database {}: it is a directory", options.path));
    }

    // Reads open read-only and create no file (read_access.hpp).
    m_conn = write ? std::make_unique<Connection>(options.path, true)
                   : Connection::open_for_reading(options.path, options.lock_timeout_ms, !options.beside_writer);
    m_conn->set_busy_timeout(options.lock_timeout_ms);

    switch (classify(*m_conn)) {
    case FileKind::foreign:
        throw Failure(ErrorKind::storage, "not_invlog_database",
                      fmt::format("{} is an SQLite database of another program, not an invlog database; left untouched",
                                  options.path));
    case FileKind::newer:
        throw Failure(ErrorKind::storage, "newer_schema",
                      fmt::format("{} was written by a newer invlog (schema version {}, this one knows {}); "
                                  "left untouched",
                                  options.path, m_conn->pragma_int("user_version"), schema_version));
    case FileKind::empty:
        if (!write)
            throw Failure(ErrorKind::storage, "no_database",
                          fmt::format("{} is empty, not yet an invlog database (a write command or 'invlog init' "
                                      "initialises it)",
                                      options.path));
        m_conn->exec("PRAGMA journal_mode = WAL");
        {
            Transaction tx(*this, true);
            // Another process may have initialised the file while we waited.
            if (classify(*m_conn) == FileKind::empty) {
                create_schema(*m_conn);
                m_created = true;
            }
            tx.commit();
        }
        break;
    case FileKind::invlog:
        if (write && m_conn->pragma_int("user_version") < schema_version) {
            Transaction tx(*this, true);
            m_upgraded = migrate(*m_conn, options.migrations ? *options.migrations : migrations(), schema_version);
            tx.commit();
        }
        break;
    }
    m_format = m_conn->pragma_int("user_version");
    m_conn->exec("PRAGMA synchronous = FULL");
    // A large batch touches index pages all over the file; a page cache big
    // enough to hold them avoids spilling to the WAL before COMMIT. Pages are
    // allocated as used, so a single command costs no more. Reads keep
    // SQLite's 2 MiB default, so that scans stay small.
    if (write) m_conn->exec("PRAGMA cache_size = -32768");
}

SqliteStore::ReadCheck SqliteStore::read_check() const {
    if (!m_conn->immutable_read()) return {};
    return [read = m_conn->immutable_read()] { read->check(); };
}

void SqliteStore::begin_transaction(bool write) {
    m_conn->exec(write ? "BEGIN IMMEDIATE" : "BEGIN");
    if (write) {
        m_tx = WriteCache{};
        m_tx.active = true;
    }
}

void SqliteStore::commit_transaction(bool write) {
    if (write) flush_read_model();
    m_conn->exec("COMMIT");
}

void SqliteStore::end_transaction(bool write, bool committed) noexcept {
    if (!committed) sqlite3_exec(m_conn->handle(), "ROLLBACK", nullptr, nullptr, nullptr);
    if (write) m_tx = WriteCache{};
}

void SqliteStore::flush_read_model() {
    // In SKU order, the order of the inventory table's key: the rows then go
    // into its B-tree one page after another instead of all over it.
    std::vector<const domain::SkuState*> rows;
    rows.reserve(m_tx.dirty.size());
    for (const auto& entry : m_tx.dirty) rows.push_back(&entry.second);
    std::sort(rows.begin(), rows.end(), [](const auto* a, const auto* b) { return a->sku < b->sku; });
    for (const auto* row : rows) write_state(*row);
    m_tx.dirty.clear();
}

Head SqliteStore::head() {
    Statement& st = m_conn->cached("SELECT seq, hash, recorded_at, event_id FROM events ORDER BY seq DESC LIMIT 1");
    Head h;
    if (st.step()) {
        h.seq = st.int64(0);
        auto blob = st.blob(1);
        if (blob.size() == h.hash.size()) std::copy(blob.begin(), blob.end(), h.hash.begin());
        h.recorded_at = st.int64(2);
        h.event_id = st.text(3);
    }
    st.reset();
    return h;
}

void SqliteStore::insert_event(const RawEvent& e) {
    Statement& insert = m_conn->cached(
        "INSERT INTO events (seq, event_id, sku, version, event_type, data, recorded_at, actor, reason, "
        "command_id, idempotency_key, hash) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)");
    insert.reset();
    insert.bind(1, e.seq)
        .bind_static(2, e.event_id)
        .bind_static(3, e.sku)
        .bind(4, e.version)
        .bind_static(5, e.event_type)
        .bind_static(6, e.data)
        .bind(7, e.recorded_at)
        .bind_static(8, e.meta.actor)
        .bind(9, e.meta.reason)
        .bind_static(10, e.meta.command_id)
        .bind(11, e.meta.idempotency_key)
        .bind_blob(12, e.hash);
    insert.run();
}

std::vector<domain::EventRecord> SqliteStore::append(std::string_view sku, const domain::State& before,
                                                     const std::vector<domain::Event>& events,
                                                     const domain::Metadata& meta, domain::Millis now) {
    Head h = m_tx.head ? *m_tx.head : head();
    // recorded_at never decreases along seq, even if the clock steps back, so
    // that "as of a time" always names a prefix of the log. Event ids carry
    // the same time, so that they sort in seq order too.
    const domain::Millis at = std::max(now, h.recorded_at);
    check_room(h, sku, before, events.size());
    if (!m_tx.snapshot_every) m_tx.snapshot_every = snapshot_every();
    const std::int64_t every = *m_tx.snapshot_every;
    std::vector<domain::EventRecord> out;
    domain::State state = before;
    RawEvent raw;
    raw.sku = sku;
    raw.recorded_at = at;
    raw.meta = meta;
    util::Digest previous = h.hash;
    for (const auto& event : events) {
        raw.seq = ++h.seq;
        raw.event_id = util::next_uuid_v7(at, h.event_id);
        h.event_id = raw.event_id;
        raw.version = state.version + 1;
        raw.event_type = domain::event_type(event);
        raw.data = encode_data(event);
        raw.hash = chain_hash(m_sha, previous, raw);
        previous = raw.hash;
        insert_event(raw);
        state = domain::evolve(state, event);
        if (every > 0 && state.version % every == 0) save_snapshot(Snapshot{raw.sku, state, raw.seq, at, {}}, raw.hash);
        out.push_back(
            domain::EventRecord{raw.seq, raw.event_id, raw.sku, raw.version, event, at, meta, util::to_hex(raw.hash)});
    }
    domain::SkuState row{std::string(sku), state, at};
    if (m_tx.active) {
        m_tx.head = Head{h.seq, previous, at, h.event_id};
        remember(std::move(row));
        // A batch touching very many SKUs writes their rows early (still in
        // the transaction) rather than holding them all in memory; not under
        // a savepoint, whose rollback would lose the flushed rows.
        if (m_tx.dirty.size() > max_dirty_skus && m_tx.savepoints.empty()) flush_read_model();
    } else {
        write_state(row);
    }
    return out;
}

std::optional<IdempotencyEntry> SqliteStore::find_idempotency(std::string_view key) {
    Statement& st = m_conn->cached("SELECT fingerprint, sku, version, command_id FROM idempotency WHERE key = ?1");
    st.bind(1, key);
    if (!st.step()) return std::nullopt;
    IdempotencyEntry e{std::string(st.text(0)), std::string(st.text(1)), st.int64(2), std::string(st.text(3))};
    st.reset();
    return e;
}

void SqliteStore::record_idempotency(std::string_view key, const IdempotencyEntry& entry) {
    Statement& st = m_conn->cached(
        "INSERT INTO idempotency (key, fingerprint, sku, version, command_id) VALUES (?1, ?2, ?3, ?4, ?5)");
    st.bind(1, key).bind(2, entry.fingerprint).bind(3, entry.sku).bind(4, entry.version).bind(5, entry.command_id);
    st.run();
}

namespace {

domain::SkuState read_state_row(const Statement& st) {
    domain::SkuState s;
    s.sku = st.text(0);
    s.state = domain::State{st.int64(1), st.int64(2), st.int64(3), st.int64(4)};
    s.updated_at = st.int64(5);
    return s;
}

}  // namespace

std::optional<domain::SkuState> SqliteStore::read_state(std::string_view sku) {
    if (auto it = m_tx.dirty.find(std::string(sku)); it != m_tx.dirty.end()) return it->second;
    Statement& st = m_conn->cached(
        "SELECT sku, soh, available_quantity, reserved, version, updated_at FROM inventory WHERE sku = ?1");
    st.bind(1, sku);
    if (!st.step()) return std::nullopt;
    auto s = read_state_row(st);
    st.reset();
    return s;
}

void SqliteStore::for_each_state(const StateRange& range, const std::function<void(const domain::SkuState&)>& fn) {
    if (!range.after && !range.prefix && !range.below && !range.limit) {
        Statement& st = m_conn->cached(
            "SELECT sku, soh, available_quantity, reserved, version, updated_at FROM inventory ORDER BY sku");
        while (st.step()) fn(read_state_row(st));
        return;
    }
    // A range of the primary key: SQLite seeks to its start and stops at
    // its end or after `limit` rows. The SQL text is built from fixed
    // fragments only; every value is bound.
    std::string sql = "SELECT sku, soh, available_quantity, reserved, version, updated_at FROM inventory WHERE 1";
    const std::optional<std::string> prefix_end = range.prefix ? prefix_successor(*range.prefix) : std::nullopt;
    if (range.after) sql += " AND sku > ?1";
    if (range.prefix) sql += " AND sku >= ?2";
    if (prefix_end) sql += " AND sku < ?3";
    if (range.below) sql += " AND available_quantity < ?4";
    sql += " ORDER BY sku";
    if (range.limit) sql += " LIMIT ?5";
    Statement st = m_conn->prepare(sql);
    if (range.after) st.bind(1, *range.after);
    if (range.prefix) st.bind(2, *range.prefix);
    if (prefix_end) st.bind(3, *prefix_end);
    if (range.below) st.bind(4, *range.below);
    if (range.limit) st.bind(5, *range.limit);
    while (st.step()) fn(read_state_row(st));
}

void SqliteStore::write_state(const domain::SkuState& s) {
    Statement& upsert = m_conn->cached(
        "INSERT INTO inventory (sku, soh, available_quantity, reserved, version, updated_at) "
        "VALUES (?1, ?2, ?3, ?4, ?5, ?6) ON CONFLICT (sku) DO UPDATE SET soh = excluded.soh, "
        "available_quantity = excluded.available_quantity, reserved = excluded.reserved, "
        "version = excluded.version, updated_at = excluded.updated_at");
    upsert.bind(1, s.sku)
        .bind(2, s.state.soh)
        .bind(3, s.state.available_quantity)
        .bind(4, s.state.reserved)
        .bind(5, s.state.version)
        .bind(6, s.updated_at);
    upsert.run();
}

Statement SqliteStore::prepare_filter(const EventFilter& f) {
    // The SQL text is built from fixed fragments only; every value is bound.
    std::string sql = fmt::format("SELECT {} FROM events WHERE seq > ?1", raw_columns);
    if (f.sku) sql += " AND sku = ?2";
    if (f.max_seq) sql += " AND seq <= ?3";
    if (f.max_version) sql += " AND version <= ?4";
    if (f.since) sql += " AND recorded_at >= ?5";
    if (f.until) sql += " AND recorded_at <= ?6";
    if (f.after_version > 0) sql += " AND version > ?8";
    sql += f.sku ? " ORDER BY version" : f.order == Order::sku_version ? " ORDER BY sku, version" : " ORDER BY seq";
    if (f.limit) sql += " LIMIT ?7";
    Statement st = m_conn->prepare(sql);
    st.bind(1, f.after_seq);
    if (f.sku) st.bind(2, *f.sku);
    if (f.max_seq) st.bind(3, *f.max_seq);
    if (f.max_version) st.bind(4, *f.max_version);
    if (f.since) st.bind(5, *f.since);
    if (f.until) st.bind(6, *f.until);
    if (f.limit) st.bind(7, *f.limit);
    if (f.after_version > 0) st.bind(8, f.after_version);
    return st;
}

void SqliteStore::for_each_raw(const EventFilter& filter, const std::function<bool(const RawEvent&)>& fn) {
    Statement st = prepare_filter(filter);
    RawEvent row;  // one for every row: no allocation per row
    while (st.step()) {
        read_raw(st, 0, row);
        if (!fn(row)) break;
    }
}

void SqliteStore::for_each_event(const EventFilter& filter, const std::function<bool(const domain::EventRecord&)>& fn) {
    Statement st = prepare_filter(filter);
    // Each row's strings move into its record instead of being copied.
    while (st.step())
        if (!fn(decode_or_throw(read_raw(st)))) break;
}

}  // namespace invlog::store
