// Format 1 files for the upgrade tests.
#include "support/format1.hpp"

#include <fmt/format.h>

#include "invlog/store/sqlite.hpp"

namespace invlog::testing {

const char* const format1_ddl = R"sql(
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
PRAGMA application_id = 1229870668;
PRAGMA user_version = 1;
)sql";

void copy_as_format1(const std::string& source, const std::string& path) {
    store::Connection c(path, true);
    c.exec(format1_ddl);
    auto attach = c.prepare("ATTACH DATABASE ?1 AS source");
    attach.bind(1, source);
    attach.run();
    c.exec(R"sql(
BEGIN;
INSERT INTO events SELECT seq, event_id, sku, version, event_type, data, recorded_at, actor, reason, command_id,
    idempotency_key, hash FROM source.events ORDER BY seq;
INSERT INTO inventory SELECT sku, soh, available_quantity, reserved, version, updated_at FROM source.inventory;
INSERT INTO idempotency SELECT key, fingerprint, sku, version, command_id FROM source.idempotency;
INSERT INTO snapshots SELECT sku, version, soh, available_quantity, reserved, seq, recorded_at FROM source.snapshots;
INSERT INTO export_positions SELECT destination, last_seq, updated_at FROM source.export_positions;
INSERT INTO settings SELECT key, value FROM source.settings;
COMMIT;
DETACH DATABASE source;
)sql");
}

}  // namespace invlog::testing
