// The upgrade from format 1 to format 2 (schema.hpp). SQLite cannot add a
// CHECK to an existing table, so each table is rebuilt: the old one is
// renamed, the new one created with the format 2 DDL, the rows copied, the
// old one dropped. All of it runs in the caller's upgrade transaction.
#include <fmt/format.h>

#include "invlog/domain/error.hpp"
#include "invlog/store/schema.hpp"

namespace invlog::store {
namespace {

// Refuses a file holding a value of the wrong storage type: converting it
// would make the edit invisible (the hash chain covers decoded values), and
// the CHECKs of format 2 cannot hold it as it is. Snapshots are not copied,
// so theirs do not matter.
void refuse_wrong_types(Connection& conn) {
    for (const auto& table : column_types()) {
        if (table.since > 1 || std::string_view(table.name) == "snapshots") continue;
        Statement st = conn.prepare(wrong_type_query(table, 1));
        if (!st.step()) continue;
        throw domain::Failure(
            domain::ErrorKind::integrity, "wrong_type",
            fmt::format("cannot upgrade {} to format 2: {} row {} holds a value of the wrong storage type ({}); the "
                        "file was edited outside invlog. Nothing was changed; run 'invlog verify' to see every such "
                        "row",
                        conn.path(), table.name, st.text(0), st.text(1)));
    }
}

// Renames a format 1 table out of the way, creates its format 2 successor
// and copies the rows. Indexes and triggers are dropped first: their names
// are taken again by the new table.
void rebuild_table(Connection& conn, const char* table, const char* create, const char* columns,
                   const char* drop_first = "") {
    conn.exec(drop_first);
    conn.exec(fmt::format("ALTER TABLE {0} RENAME TO {0}_format1", table).c_str());
    conn.exec(create);
    if (*columns) conn.exec(fmt::format("INSERT INTO {0} ({1}) SELECT {1} FROM {0}_format1", table, columns).c_str());
    conn.exec(fmt::format("DROP TABLE {}_format1", table).c_str());
}

}  // namespace

void upgrade_to_v2(Connection& conn) {
    refuse_wrong_types(conn);
    rebuild_table(conn, "events", ddl::events,
                  "seq, event_id, sku, version, event_type, data, recorded_at, actor, reason, command_id, "
                  "idempotency_key, hash",
                  "DROP TRIGGER IF EXISTS events_no_update; DROP TRIGGER IF EXISTS events_no_delete; "
                  "DROP INDEX IF EXISTS events_recorded_at;");
    rebuild_table(conn, "inventory", ddl::inventory, "sku, soh, available_quantity, reserved, version, updated_at");
    rebuild_table(conn, "idempotency", ddl::idempotency, "key, fingerprint, sku, version, command_id");
    // Format 1 snapshots carry no hash and cannot be told from edited ones:
    // they are derived data, and are not copied.
    rebuild_table(conn, "snapshots", ddl::snapshots, "");
    rebuild_table(conn, "export_positions", ddl::export_positions, "destination, last_seq, updated_at");
    rebuild_table(conn, "settings", ddl::settings, "key, value");
    conn.exec(ddl::formats);
    record_format(conn, 2);
}

}  // namespace invlog::store
