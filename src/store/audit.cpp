// Audit queries. They run inside the caller's read transaction, so that all
// of them see the same moment of the file.
#include "invlog/store/audit.hpp"

#include <fmt/format.h>

namespace invlog::store {

namespace {

Snapshot read_snapshot(const Statement& st, int first) {
    return Snapshot{std::string(st.text(first)),
                    domain::State{st.int64(first + 2), st.int64(first + 3), st.int64(first + 4), st.int64(first + 1)},
                    st.int64(first + 5), st.int64(first + 6)};
}

// raw_columns (codec.hpp) of the events table aliased as e.
constexpr const char* event_columns =
    "e.seq, e.event_id, e.sku, e.version, e.event_type, e.data, e.recorded_at, e.actor, e.reason, e.command_id, "
    "e.idempotency_key, e.hash";

std::int64_t count(Connection& conn, const char* sql) {
    Statement st = conn.prepare(sql);
    return st.step() ? st.int64(0) : 0;
}

}  // namespace

void for_each_audit_row(EventStore& store, const std::function<void(const AuditRow&)>& fn) {
    // 12 event columns, then the snapshot's 7 (from 12) and the entry's 4 (from 19).
    Statement st = store.connection().prepare(fmt::format(
        "SELECT {}, s.sku, s.version, s.soh, s.available_quantity, s.reserved, s.seq, s.recorded_at, "
        "i.fingerprint, i.sku, i.version, i.command_id "
        "FROM events e "
        "LEFT JOIN snapshots s ON s.sku = e.sku AND s.version = e.version "
        "LEFT JOIN idempotency i ON i.key = e.idempotency_key "
        "ORDER BY e.seq",
        event_columns));
    AuditRow row;
    while (st.step()) {
        row.event = read_raw(st);
        row.snapshot.reset();
        row.idempotency.reset();
        if (!st.is_null(12)) row.snapshot = read_snapshot(st, 12);
        if (!st.is_null(19))
            row.idempotency = IdempotencyEntry{std::string(st.text(19)), std::string(st.text(20)), st.int64(21),
                                               std::string(st.text(22))};
        fn(row);
    }
}

void for_each_key_target(EventStore& store, const std::function<void(const KeyTarget&)>& fn) {
    Statement st = store.connection().prepare(fmt::format(
        "SELECT i.key, i.fingerprint, i.sku, i.version, i.command_id, {} FROM idempotency i "
        "LEFT JOIN events e ON e.sku = i.sku AND e.version = i.version ORDER BY i.key",
        event_columns));
    KeyTarget target;
    while (st.step()) {
        target.key = st.text(0);
        target.entry = IdempotencyEntry{std::string(st.text(1)), std::string(st.text(2)), st.int64(3),
                                        std::string(st.text(4))};
        target.event.reset();
        if (!st.is_null(5)) target.event = read_raw(st, 5);
        fn(target);
    }
}

void for_each_orphan_snapshot(EventStore& store, const std::function<void(const Snapshot&)>& fn) {
    Statement st = store.connection().prepare(
        "SELECT s.sku, s.version, s.soh, s.available_quantity, s.reserved, s.seq, s.recorded_at FROM snapshots s "
        "LEFT JOIN events e ON e.sku = s.sku AND e.version = s.version WHERE e.seq IS NULL "
        "ORDER BY s.sku, s.version");
    while (st.step()) fn(read_snapshot(st, 0));
}

std::vector<std::string> quick_check(EventStore& store) {
    Statement st = store.connection().prepare("PRAGMA quick_check");
    std::vector<std::string> problems;
    while (st.step())
        if (st.text(0) != "ok") problems.emplace_back(st.text(0));
    return problems;
}

Counts counts(EventStore& store) {
    Connection& conn = store.connection();
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
