// Audit queries. They run inside the caller's read transaction, so that all
// of them see the same moment of the file.
#include "invlog/store/sqlite_store.hpp"

#include <future>
#include <utility>

#include <fmt/format.h>

#include "invlog/domain/error.hpp"
#include "invlog/store/schema.hpp"

namespace invlog::store {

namespace {

Snapshot read_snapshot(const Statement& st, int first) {
    return Snapshot{std::string(st.text(first)),
                    domain::State{st.int64(first + 2), st.int64(first + 3), st.int64(first + 4), st.int64(first + 1)},
                    st.int64(first + 5),
                    st.int64(first + 6),
                    {}};
}

void read_digest(const Statement& st, int col, util::Digest& out) {
    // A hash of the wrong length stays all zeros, which never matches.
    auto blob = st.blob(col);
    if (blob.size() == out.size()) std::copy(blob.begin(), blob.end(), out.begin());
}

// raw_columns (sqlite_store.hpp) of the events table aliased as e.
constexpr const char* event_columns =
    "e.seq, e.event_id, e.sku, e.version, e.event_type, e.data, e.recorded_at, e.actor, e.reason, e.command_id, "
    "e.idempotency_key, e.hash";

std::int64_t count(Connection& conn, const char* sql) {
    Statement st = conn.prepare(sql);
    return st.step() ? st.int64(0) : 0;
}

// The storage type of each of the raw_columns: the rules of the events table
// in column_types(), read from the row the audit query already returns
// rather than computed again in SQL for every event.
struct ColumnExpectation {
    const char* name;
    int type;
    bool nullable;
};
constexpr ColumnExpectation event_column_types[] = {
    {"seq", SQLITE_INTEGER, false},         {"event_id", SQLITE_TEXT, false},       {"sku", SQLITE_TEXT, false},
    {"version", SQLITE_INTEGER, false},     {"event_type", SQLITE_TEXT, false},     {"data", SQLITE_TEXT, false},
    {"recorded_at", SQLITE_INTEGER, false}, {"actor", SQLITE_TEXT, false},          {"reason", SQLITE_TEXT, true},
    {"command_id", SQLITE_TEXT, false},     {"idempotency_key", SQLITE_TEXT, true}, {"hash", SQLITE_BLOB, false},
};

const char* type_name(int type) {
    switch (type) {
    case SQLITE_INTEGER: return "integer";
    case SQLITE_FLOAT: return "real";
    case SQLITE_TEXT: return "text";
    case SQLITE_BLOB: return "blob";
    default: return "null";
    }
}

// Must run before the columns are read: reading converts their values.
std::string wrong_types(const Statement& st, int first) {
    std::string out;
    for (int i = 0; i < 12; ++i) {
        const auto& expect = event_column_types[i];
        const int type = sqlite3_column_type(st.handle(), first + i);
        bool ok = type == expect.type || (expect.nullable && type == SQLITE_NULL);
        // A hash is 32 bytes.
        if (ok && expect.type == SQLITE_BLOB) ok = sqlite3_column_bytes(st.handle(), first + i) == 32;
        if (!ok) out += fmt::format("{}{} ({})", out.empty() ? "" : " ", expect.name, type_name(type));
    }
    return out;
}

// The audit rows in `order`: 12 event columns, then the snapshot's 7 and its
// hash (from 13) and the entry's 4 (from 21); column 12 is unused. A file of
// format 1 has no snapshot hash.
std::string audit_query(bool sealed, const char* order) {
    return fmt::format(
        "SELECT {}, NULL, s.sku, s.version, s.soh, s.available_quantity, s.reserved, s.seq, s.recorded_at, "
        "{}, i.fingerprint, i.sku, i.version, i.command_id "
        "FROM events e "
        "LEFT JOIN snapshots s ON s.sku = e.sku AND s.version = e.version "
        "LEFT JOIN idempotency i ON i.key = e.idempotency_key "
        "ORDER BY {}",
        event_columns, sealed ? "s.hash" : "NULL", order);
}

// Reads a row of audit_query into `row`, reusing its strings.
void read_audit_row(const Statement& st, AuditRow& row) {
    row.wrong_types = wrong_types(st, 0);
    read_raw(st, 0, row.event);
    if (st.is_null(13)) {
        row.snapshot.reset();
    } else {
        row.snapshot = read_snapshot(st, 13);
        read_digest(st, 20, row.snapshot->hash);
    }
    if (st.is_null(21))
        row.idempotency.reset();
    else
        row.idempotency = IdempotencyEntry{std::string(st.text(21)), std::string(st.text(22)), st.int64(23),
                                           std::string(st.text(24))};
}

// What PRAGMA quick_check finds on `conn`.
std::vector<std::string> quick_check_on(Connection& conn) {
    // quick_check evaluates every CHECK of every row too, which would double
    // its time; verify checks the same storage types itself, row by row, and
    // names them (wrong_type). So it looks at the file's structure only.
    conn.exec("PRAGMA ignore_check_constraints = ON");
    std::vector<std::string> problems;
    try {
        Statement st = conn.prepare("PRAGMA quick_check");
        while (st.step())
            if (st.text(0) != "ok") problems.emplace_back(st.text(0));
    } catch (...) {
        conn.exec("PRAGMA ignore_check_constraints = OFF");
        throw;
    }
    conn.exec("PRAGMA ignore_check_constraints = OFF");
    return problems;
}

// The head's seq and hash as `conn` sees them.
std::pair<std::int64_t, util::Digest> head_on(Connection& conn) {
    Statement st = conn.prepare("SELECT seq, hash FROM events ORDER BY seq DESC LIMIT 1");
    std::pair<std::int64_t, util::Digest> out{0, {}};
    if (st.step()) {
        out.first = st.int64(0);
        read_digest(st, 1, out.second);
    }
    return out;
}

}  // namespace

void SqliteStore::for_each_audit_row(const std::function<void(const AuditRow&)>& fn) {
    // 12 event columns, then the snapshot's 7 and its hash (from 13) and the
    // entry's 4 (from 21); column 12 is unused. A file of format 1 has no
    // snapshot hash.
    Statement st = m_conn->prepare(audit_query(m_format >= 2, "e.seq"));
    AuditRow row;
    while (st.step()) {
        read_audit_row(st, row);
        fn(row);
    }
}

bool SqliteStore::for_each_audit_row_by_sku(const std::function<void(const AuditRow&)>& on_event,
                                            const std::function<void(const domain::SkuState&)>& on_state) {
    // The same columns as for_each_audit_row, along the (sku, version) index.
    Statement events = m_conn->prepare(audit_query(m_format >= 2, "e.sku, e.version"));
    Statement states = m_conn->prepare(
        "SELECT sku, soh, available_quantity, reserved, version, updated_at FROM inventory ORDER BY sku");
    AuditRow row;
    domain::SkuState state;
    bool more_states = states.step();
    auto emit_state = [&] {
        state.sku = states.text(0);
        state.state = domain::State{states.int64(1), states.int64(2), states.int64(3), states.int64(4)};
        state.updated_at = states.int64(5);
        on_state(state);
        more_states = states.step();
    };
    bool more_events = events.step();
    std::string sku;
    while (more_events) {
        sku = events.text(2);
        // Read-model rows of SKUs without events come in their place.
        while (more_states && states.text(0) < std::string_view(sku)) emit_state();
        do {
            read_audit_row(events, row);
            on_event(row);
            more_events = events.step();
        } while (more_events && events.text(2) == std::string_view(sku));
        if (more_states && states.text(0) == std::string_view(sku)) emit_state();
    }
    while (more_states) emit_state();
    return true;
}

void SqliteStore::for_each_key_target(const std::function<void(const KeyTarget&)>& fn) {
    Statement st = m_conn->prepare(
        fmt::format("SELECT i.key, i.fingerprint, i.sku, i.version, i.command_id, {} FROM idempotency i "
                    "LEFT JOIN events e ON e.sku = i.sku AND e.version = i.version ORDER BY i.key",
                    event_columns));
    KeyTarget target;
    while (st.step()) {
        target.key = st.text(0);
        target.entry =
            IdempotencyEntry{std::string(st.text(1)), std::string(st.text(2)), st.int64(3), std::string(st.text(4))};
        target.event.reset();
        if (!st.is_null(5)) target.event = read_raw(st, 5);
        fn(target);
    }
}

void SqliteStore::for_each_orphan_snapshot(const std::function<void(const Snapshot&)>& fn) {
    Statement st = m_conn->prepare(
        "SELECT s.sku, s.version, s.soh, s.available_quantity, s.reserved, s.seq, s.recorded_at FROM snapshots s "
        "LEFT JOIN events e ON e.sku = s.sku AND e.version = s.version WHERE e.seq IS NULL "
        "ORDER BY s.sku, s.version");
    while (st.step()) fn(read_snapshot(st, 0));
}

void SqliteStore::for_each_wrong_type_row(const std::function<void(const WrongTypeRow&)>& fn) {
    for (const auto& table : column_types()) {
        // Events are checked row by row in the audit pass.
        if (std::string_view(table.name) == "events" || table.since > m_format) continue;
        Statement st = m_conn->prepare(wrong_type_query(table, m_format));
        while (st.step()) fn(WrongTypeRow{table.name, std::string(st.text(0)), std::string(st.text(1))});
    }
}

std::optional<std::int64_t> SqliteStore::first_seq_of_format(std::int64_t version) {
    if (m_format < 2) return std::nullopt;  // format 1 has no formats table
    Statement st = m_conn->prepare("SELECT first_seq FROM formats WHERE version = ?1");
    st.bind(1, version);
    if (!st.step()) return std::nullopt;
    return st.int64(0);
}

AheadOfLog SqliteStore::derived_ahead_of_log() {
    AheadOfLog out;
    Connection& conn = *m_conn;
    // The last version of a SKU is one index look-up on (sku, version).
    constexpr const char* last_version = "coalesce((SELECT max(e.version) FROM events e WHERE e.sku = t.sku), 0)";
    struct Query {
        const char* table;
        const char* what;  // names the row in an example
        std::int64_t* counter;
    };
    const Query queries[] = {
        {"inventory", "sku", &out.inventory_rows},
        {"snapshots", "'the snapshot of ' || sku", &out.snapshots},
        {"idempotency", "'idempotency key ''' || key || ''' names ' || sku", &out.idempotency_keys},
    };
    for (const auto& q : queries) {
        Statement st = conn.prepare(
            fmt::format("SELECT {0}, t.version, {1} FROM {2} t WHERE t.version > {1} ORDER BY t.sku, t.version", q.what,
                        last_version, q.table));
        while (st.step()) {
            if (++*q.counter <= 3)
                out.examples.push_back(
                    st.int64(2) == 0
                        ? fmt::format("{}: {} at version {}, which has no events", q.table, st.text(0), st.int64(1))
                        : fmt::format("{}: {} at version {}, its last event is version {}", q.table, st.text(0),
                                      st.int64(1), st.int64(2)));
        }
    }
    out.implied_head_seq = count(conn, "SELECT coalesce(sum(version), 0) FROM inventory");
    return out;
}

std::int64_t SqliteStore::delete_keys_ahead_of_log() {
    Connection& conn = *m_conn;
    conn.exec(
        "DELETE FROM idempotency WHERE version > "
        "coalesce((SELECT max(e.version) FROM events e WHERE e.sku = idempotency.sku), 0)");
    return sqlite3_changes(conn.handle());
}

std::vector<std::string> SqliteStore::quick_check() { return quick_check_on(*m_conn); }

std::future<std::vector<std::string>> SqliteStore::start_quick_check() {
    // The caller's read transaction has begun; reading the head fixes its
    // moment. The second connection's read begins right after and must see
    // the same head. A file read immutably is the same file for both (its
    // shared lock and stamp guard it). Beside live writers, a commit in
    // between that appends changes the head, and the check then runs here;
    // one that writes no event (a setting, an export position, derived rows)
    // is not told apart, and quick_check then walks the pages one commit
    // later, which differ only where invlog's own writer rewrote them.
    auto mine = head_on(*m_conn);
    std::unique_ptr<Connection> second;
    try {
        second = m_conn->open_again();
        second->set_busy_timeout(5000);
        second->exec("BEGIN");
        if (head_on(*second) != mine) second.reset();
    } catch (const domain::Failure&) {
        second.reset();
    }
    if (!second) return EventStore::start_quick_check();
    return std::async(std::launch::async, [conn = std::move(second)] {
        auto problems = quick_check_on(*conn);
        conn->exec("COMMIT");
        return problems;
    });
}

Counts SqliteStore::counts() {
    Connection& conn = *m_conn;
    Counts c;
    c.events = count(conn, "SELECT count(*) FROM events");
    c.skus = count(conn, "SELECT count(*) FROM inventory");
    c.snapshots = count(conn, "SELECT count(*) FROM snapshots");
    c.idempotency_keys = count(conn, "SELECT count(*) FROM idempotency");
    Statement st = conn.prepare(
        "SELECT (SELECT recorded_at FROM events ORDER BY seq LIMIT 1), "
        "(SELECT recorded_at FROM events ORDER BY seq DESC LIMIT 1)");
    if (st.step() && !st.is_null(0)) {
        c.first_recorded_at = st.int64(0);
        c.last_recorded_at = st.int64(1);
    }
    return c;
}

}  // namespace invlog::store
