// Schema creation, file recognition, the storage types of every column and
// the migration mechanism. The upgrade from format 1 is in migrate_v2.cpp.
#include "invlog/store/schema.hpp"

#include <fmt/format.h>

#include "invlog/domain/error.hpp"

namespace invlog::store {

FileKind classify(Connection& conn) {
    // These reads fail with SQLITE_NOTADB for a file that is not SQLite.
    std::int64_t app = conn.pragma_int("application_id");
    std::int64_t version = conn.pragma_int("user_version");
    Statement st = conn.prepare("SELECT count(*) FROM sqlite_master");
    std::int64_t objects = st.step() ? st.int64(0) : 0;
    if (app == 0 && version == 0 && objects == 0) return FileKind::empty;
    if (app != application_id) return FileKind::foreign;
    if (version > schema_version) return FileKind::newer;
    return FileKind::invlog;
}

namespace ddl {

// The CHECKs hold the storage type of every value: SQLite's column types are
// only affinities, and a BLOB never equals a TEXT, so a SKU stored as a BLOB
// would escape UNIQUE (sku, version) and every query by SKU. They are
// evaluated after the column's affinity has converted the value.
const char* const events = R"sql(
CREATE TABLE events (
    seq             INTEGER PRIMARY KEY CHECK (typeof(seq) = 'integer'),
    event_id        TEXT    NOT NULL UNIQUE CHECK (typeof(event_id) = 'text'),
    sku             TEXT    NOT NULL CHECK (typeof(sku) = 'text'),
    version         INTEGER NOT NULL CHECK (typeof(version) = 'integer' AND version >= 1),
    event_type      TEXT    NOT NULL CHECK (typeof(event_type) = 'text'),
    data            TEXT    NOT NULL CHECK (typeof(data) = 'text'),
    recorded_at     INTEGER NOT NULL CHECK (typeof(recorded_at) = 'integer'),
    actor           TEXT    NOT NULL CHECK (typeof(actor) = 'text'),
    reason          TEXT    CHECK (typeof(reason) IN ('text', 'null')),
    command_id      TEXT    NOT NULL CHECK (typeof(command_id) = 'text'),
    idempotency_key TEXT    CHECK (typeof(idempotency_key) IN ('text', 'null')),
    hash            BLOB    NOT NULL CHECK (typeof(hash) = 'blob' AND length(hash) = 32),
    UNIQUE (sku, version)
);
CREATE INDEX events_recorded_at ON events (recorded_at);
CREATE TRIGGER events_no_update BEFORE UPDATE ON events
BEGIN SELECT RAISE(ABORT, 'events are append-only'); END;
CREATE TRIGGER events_no_delete BEFORE DELETE ON events
BEGIN SELECT RAISE(ABORT, 'events are append-only'); END;
CREATE TRIGGER events_no_replace BEFORE INSERT ON events
WHEN EXISTS (SELECT 1 FROM events WHERE seq = NEW.seq)
  OR EXISTS (SELECT 1 FROM events WHERE event_id = NEW.event_id)
  OR EXISTS (SELECT 1 FROM events WHERE sku = NEW.sku AND version = NEW.version)
BEGIN SELECT RAISE(ABORT, 'events are append-only: an event with this seq, event_id or (sku, version) exists'); END;
)sql";

const char* const inventory = R"sql(
CREATE TABLE inventory (
    sku                TEXT    PRIMARY KEY CHECK (typeof(sku) = 'text'),
    soh                INTEGER NOT NULL CHECK (typeof(soh) = 'integer'),
    available_quantity INTEGER NOT NULL CHECK (typeof(available_quantity) = 'integer'),
    reserved           INTEGER NOT NULL CHECK (typeof(reserved) = 'integer'),
    version            INTEGER NOT NULL CHECK (typeof(version) = 'integer'),
    updated_at         INTEGER NOT NULL CHECK (typeof(updated_at) = 'integer')
) WITHOUT ROWID;
)sql";

const char* const idempotency = R"sql(
CREATE TABLE idempotency (
    key         TEXT    PRIMARY KEY CHECK (typeof(key) = 'text'),
    fingerprint TEXT    NOT NULL CHECK (typeof(fingerprint) = 'text'),
    sku         TEXT    NOT NULL CHECK (typeof(sku) = 'text'),
    version     INTEGER NOT NULL CHECK (typeof(version) = 'integer'),
    command_id  TEXT    NOT NULL CHECK (typeof(command_id) = 'text')
) WITHOUT ROWID;
)sql";

const char* const snapshots = R"sql(
CREATE TABLE snapshots (
    sku                TEXT    NOT NULL CHECK (typeof(sku) = 'text'),
    version            INTEGER NOT NULL CHECK (typeof(version) = 'integer'),
    soh                INTEGER NOT NULL CHECK (typeof(soh) = 'integer'),
    available_quantity INTEGER NOT NULL CHECK (typeof(available_quantity) = 'integer'),
    reserved           INTEGER NOT NULL CHECK (typeof(reserved) = 'integer'),
    seq                INTEGER NOT NULL CHECK (typeof(seq) = 'integer'),
    recorded_at        INTEGER NOT NULL CHECK (typeof(recorded_at) = 'integer'),
    hash               BLOB    NOT NULL CHECK (typeof(hash) = 'blob' AND length(hash) = 32),
    PRIMARY KEY (sku, version)
) WITHOUT ROWID;
)sql";

const char* const export_positions = R"sql(
CREATE TABLE export_positions (
    destination TEXT    PRIMARY KEY CHECK (typeof(destination) = 'text'),
    last_seq    INTEGER NOT NULL CHECK (typeof(last_seq) = 'integer'),
    updated_at  INTEGER NOT NULL CHECK (typeof(updated_at) = 'integer'),
    last_hash   BLOB    CHECK (typeof(last_hash) = 'null' OR (typeof(last_hash) = 'blob' AND length(last_hash) = 32)),
    compat      TEXT    CHECK (typeof(compat) IN ('text', 'null'))
) WITHOUT ROWID;
)sql";

const char* const settings = R"sql(
CREATE TABLE settings (
    key   TEXT PRIMARY KEY CHECK (typeof(key) = 'text'),
    value TEXT NOT NULL CHECK (typeof(value) = 'text')
) WITHOUT ROWID;
)sql";

const char* const formats = R"sql(
CREATE TABLE formats (
    version   INTEGER PRIMARY KEY CHECK (typeof(version) = 'integer'),
    first_seq INTEGER NOT NULL CHECK (typeof(first_seq) = 'integer')
) WITHOUT ROWID;
)sql";

}  // namespace ddl

void create_schema(Connection& conn) {
    for (const char* table : {ddl::events, ddl::inventory, ddl::idempotency, ddl::snapshots, ddl::export_positions,
                              ddl::settings, ddl::formats})
        conn.exec(table);
    record_format(conn, schema_version);
    conn.exec(
        fmt::format("PRAGMA application_id = {}; PRAGMA user_version = {};", application_id, schema_version).c_str());
}

void record_format(Connection& conn, std::int64_t version) {
    Statement st = conn.prepare(
        "INSERT OR IGNORE INTO formats (version, first_seq) VALUES (?1, (SELECT coalesce(max(seq), 0) + 1 FROM "
        "events))");
    st.bind(1, version);
    st.run();
}

const std::vector<TableTypes>& column_types() {
    // The same rules as the CHECKs above, as verify and the upgrade test them
    // on files whose CHECKs are missing (format 1) or were removed.
    static const std::vector<TableTypes> tables = {
        {"events",
         "seq",
         1,
         {{"seq", "typeof(seq) = 'integer'", 1},
          {"event_id", "typeof(event_id) = 'text'", 1},
          {"sku", "typeof(sku) = 'text'", 1},
          {"version", "typeof(version) = 'integer'", 1},
          {"event_type", "typeof(event_type) = 'text'", 1},
          {"data", "typeof(data) = 'text'", 1},
          {"recorded_at", "typeof(recorded_at) = 'integer'", 1},
          {"actor", "typeof(actor) = 'text'", 1},
          {"reason", "typeof(reason) IN ('text', 'null')", 1},
          {"command_id", "typeof(command_id) = 'text'", 1},
          {"idempotency_key", "typeof(idempotency_key) IN ('text', 'null')", 1},
          {"hash", "typeof(hash) = 'blob' AND length(hash) = 32", 1}}},
        {"inventory",
         "sku",
         1,
         {{"sku", "typeof(sku) = 'text'", 1},
          {"soh", "typeof(soh) = 'integer'", 1},
          {"available_quantity", "typeof(available_quantity) = 'integer'", 1},
          {"reserved", "typeof(reserved) = 'integer'", 1},
          {"version", "typeof(version) = 'integer'", 1},
          {"updated_at", "typeof(updated_at) = 'integer'", 1}}},
        {"idempotency",
         "key",
         1,
         {{"key", "typeof(key) = 'text'", 1},
          {"fingerprint", "typeof(fingerprint) = 'text'", 1},
          {"sku", "typeof(sku) = 'text'", 1},
          {"version", "typeof(version) = 'integer'", 1},
          {"command_id", "typeof(command_id) = 'text'", 1}}},
        {"snapshots",
         "sku || ' version ' || version",
         1,
         {{"sku", "typeof(sku) = 'text'", 1},
          {"version", "typeof(version) = 'integer'", 1},
          {"soh", "typeof(soh) = 'integer'", 1},
          {"available_quantity", "typeof(available_quantity) = 'integer'", 1},
          {"reserved", "typeof(reserved) = 'integer'", 1},
          {"seq", "typeof(seq) = 'integer'", 1},
          {"recorded_at", "typeof(recorded_at) = 'integer'", 1},
          {"hash", "typeof(hash) = 'blob' AND length(hash) = 32", 2}}},
        {"export_positions",
         "destination",
         1,
         {{"destination", "typeof(destination) = 'text'", 1},
          {"last_seq", "typeof(last_seq) = 'integer'", 1},
          {"updated_at", "typeof(updated_at) = 'integer'", 1},
          {"last_hash", "typeof(last_hash) = 'null' OR (typeof(last_hash) = 'blob' AND length(last_hash) = 32)", 2},
          {"compat", "typeof(compat) IN ('text', 'null')", 2}}},
        {"settings", "key", 1, {{"key", "typeof(key) = 'text'", 1}, {"value", "typeof(value) = 'text'", 1}}},
        {"formats",
         "version",
         2,
         {{"version", "typeof(version) = 'integer'", 2}, {"first_seq", "typeof(first_seq) = 'integer'", 2}}},
    };
    return tables;
}

std::string wrong_type_query(const TableTypes& table, std::int64_t format) {
    // Lists each row with a value of the wrong type: its key as text, and the
    // names of its wrong columns with the types they hold.
    std::string names, any;
    for (const auto& c : table.columns) {
        if (c.since > format) continue;
        names += fmt::format("{}CASE WHEN ({}) THEN '' ELSE '{} (' || typeof({}) || ') ' END",
                             names.empty() ? "" : " || ", c.rule, c.name, c.name);
        any += fmt::format("{}NOT ({})", any.empty() ? "" : " OR ", c.rule);
    }
    return fmt::format("SELECT CAST({} AS TEXT), rtrim({}) FROM {} WHERE {}", table.key, names, table.name, any);
}

const std::vector<Migration>& migrations() {
    static const std::vector<Migration> steps = {{1, upgrade_to_v2}};
    return steps;
}

int migrate(Connection& conn, const std::vector<Migration>& steps, std::int64_t target) {
    std::int64_t version = conn.pragma_int("user_version");
    int applied = 0;
    while (version < target) {
        const Migration* step = nullptr;
        for (const auto& m : steps)
            if (m.from == version) step = &m;
        if (!step)
            throw domain::Failure(domain::ErrorKind::storage, "no_migration",
                                  fmt::format("database {} has schema version {} and no upgrade path to {}",
                                              conn.path(), version, target));
        step->apply(conn);
        ++version;
        conn.exec(fmt::format("PRAGMA user_version = {}", version).c_str());
        ++applied;
    }
    return applied;
}

}  // namespace invlog::store
