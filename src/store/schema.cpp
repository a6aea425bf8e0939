// Schema creation, file recognition and the migration mechanism.
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

void create_schema(Connection& conn) {
    conn.exec(R"sql(
CREATE TABLE events (
    seq             INTEGER PRIMARY KEY,
    event_id        TEXT    NOT NULL UNIQUE,
    sku             TEXT    NOT NULL,
    version         INTEGER NOT NULL CHECK (version >= 1),
    event_type      TEXT    NOT NULL,
    data            TEXT    NOT NULL,
    recorded_at     INTEGER NOT NULL,
    actor           TEXT    NOT NULL,
    reason          TEXT,
    command_id      TEXT    NOT NULL,
    idempotency_key TEXT,
    hash            BLOB    NOT NULL,
    UNIQUE (sku, version)
);
CREATE INDEX events_recorded_at ON events (recorded_at);
CREATE TRIGGER events_no_update BEFORE UPDATE ON events
BEGIN SELECT RAISE(ABORT, 'events are append-only'); END;
CREATE TRIGGER events_no_delete BEFORE DELETE ON events
BEGIN SELECT RAISE(ABORT, 'events are append-only'); END;
CREATE TABLE inventory (
    sku                TEXT    PRIMARY KEY,
    soh                INTEGER NOT NULL,
    available_quantity INTEGER NOT NULL,
    reserved           INTEGER NOT NULL,
    version            INTEGER NOT NULL,
    updated_at         INTEGER NOT NULL
) WITHOUT ROWID;
CREATE TABLE idempotency (
    key         TEXT    PRIMARY KEY,
    fingerprint TEXT    NOT NULL,
    sku         TEXT    NOT NULL,
    version     INTEGER NOT NULL,
    command_id  TEXT    NOT NULL
) WITHOUT ROWID;
CREATE TABLE snapshots (
    sku                TEXT    NOT NULL,
    version            INTEGER NOT NULL,
    soh                INTEGER NOT NULL,
    available_quantity INTEGER NOT NULL,
    reserved           INTEGER NOT NULL,
    seq                INTEGER NOT NULL,
    recorded_at        INTEGER NOT NULL,
    PRIMARY KEY (sku, version)
) WITHOUT ROWID;
CREATE TABLE export_positions (
    destination TEXT    PRIMARY KEY,
    last_seq    INTEGER NOT NULL,
    updated_at  INTEGER NOT NULL
) WITHOUT ROWID;
CREATE TABLE settings (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
) WITHOUT ROWID;
)sql");
    conn.exec(fmt::format("PRAGMA application_id = {}; PRAGMA user_version = {};", application_id, schema_version)
                  .c_str());
}

const std::vector<Migration>& migrations() {
    static const std::vector<Migration> steps;  // version 1 is the first format
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
