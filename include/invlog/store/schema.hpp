// The on-disk format of an invlog file.
//
// Format version 2 (PRAGMA user_version = 2, PRAGMA application_id = 0x494E564C "INVL"):
//   events      the log. One row per event, seq (INTEGER PRIMARY KEY) is the
//               global order; (sku, version) is UNIQUE and versions are
//               contiguous from 1 per SKU. Rows are only ever appended:
//               triggers abort every UPDATE and DELETE, and a BEFORE INSERT
//               trigger aborts an insert whose seq, event_id or (sku, version)
//               already exists, so that REPLACE INTO, INSERT OR REPLACE and
//               UPDATE OR REPLACE cannot rewrite or remove a recorded row
//               either (the delete REPLACE does fires no trigger unless
//               recursive_triggers is on, a per-connection setting).
//               data is a compact JSON object of the event's integer fields.
//               hash = SHA-256(previous event's hash || canonical bytes of this
//               event); the first event chains to 32 zero bytes (see codec.hpp).
//               recorded_at never decreases along seq (a clock behind the
//               last event's time is held at it). event_id is a version 7 UUID
//               whose time is recorded_at and whose 42-bit counter continues
//               from the previous event id in the same millisecond, so that
//               ids increase along seq (events from formats.first_seq of
//               version 2 on; earlier ones took the unclamped clock).
//               command_id is a version 7 UUID of the clock as read for the
//               command: earlier than recorded_at when the time was held.
//   inventory   the read model: one row per SKU with its current state, written
//               in the same transaction as the events it reflects.
//   idempotency one row per idempotency key: the fingerprint of the command it
//               was first used with (domain::fingerprint), the SKU version that
//               command produced and its command_id.
//   snapshots   derived data: the state of a SKU after every snapshot-every
//               versions, with the seq and recorded_at of that version's event
//               and hash = SHA-256(hash of that event || canonical bytes of the
//               snapshot, see codec.hpp), written with the events, so that
//               replay can start there. A snapshot whose hash does not match
//               the event at its version and its own contents is ignored.
//               Deleting them changes no answer, only speed.
//   export_positions  the last seq exported to each destination (a MongoDB
//               host/database/collection, never credentials), the hash of
//               that event (NULL for positions recorded by format 1), and the
//               export mode (compat; NULL: native).
//   settings    key/value settings of this file, as text (settings.hpp lists
//               the keys; a missing key has its default).
//   formats     one row per format version the file was written with, and
//               the first seq appended under it (1 for a file created with it).
// Every column has a CHECK on its storage type (typeof): integers, text,
// 32-byte BLOB hashes, NULL only where a column may be NULL. column_types()
// lists the same rules for verify, which reports rows that break them in a
// file whose CHECKs were removed.
//
// Format 1 had the same tables without the type CHECKs, the insert trigger,
// snapshots.hash, export_positions.last_hash and compat, and formats. The
// upgrade (migrate_v2.cpp) rebuilds each table in place, in the upgrade's one
// transaction: it refuses (integrity, nothing changed) a file holding a value
// of the wrong storage type rather than convert it, because the hash chain
// covers decoded values and a conversion would hide the edit; it keeps the
// events, the read model, the idempotency keys, the settings and the export
// positions as they are, and drops the snapshots of format 1, which carry no
// hash (the next writes and `invlog rebuild` take new ones).
//
// Files written by a newer invlog (higher user_version) and files of other
// programs are refused before anything is written to them.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "invlog/store/sqlite.hpp"

namespace invlog::store {

inline constexpr std::int64_t schema_version = 2;
inline constexpr std::int64_t application_id = 0x494E564C;

enum class FileKind { empty, invlog, newer, foreign };

// Looks at a file without writing to it.
FileKind classify(Connection& conn);

// Creates the current schema in an empty file (inside the caller's transaction).
void create_schema(Connection& conn);

// The CREATE statements of format 2, table by table (with their indexes and
// triggers).
namespace ddl {
extern const char* const events;
extern const char* const inventory;
extern const char* const idempotency;
extern const char* const snapshots;
extern const char* const export_positions;
extern const char* const settings;
extern const char* const formats;
}  // namespace ddl

// Records in `formats` that events from the next seq on are written under
// this format version (once per version).
void record_format(Connection& conn, std::int64_t version);

// The storage type each column must hold, as SQL conditions on the bare
// column names (the CHECKs of the DDL).
struct ColumnType {
    const char* name;
    const char* rule;
    std::int64_t since;  // the format version that added the column
};
struct TableTypes {
    const char* name;
    const char* key;  // an SQL expression naming a row in messages
    std::int64_t since;
    std::vector<ColumnType> columns;
};
const std::vector<TableTypes>& column_types();

// SELECT key, 'col (type) col (type)' FROM table WHERE any column breaks its
// rule, for a file of the given format version.
std::string wrong_type_query(const TableTypes& table, std::int64_t format);

// One upgrade step from version `from` to from + 1, run inside a transaction.
struct Migration {
    std::int64_t from;
    std::function<void(Connection&)> apply;
};

// Format 1 to 2 (migrate_v2.cpp).
void upgrade_to_v2(Connection& conn);

// The registered upgrade steps, in order.
const std::vector<Migration>& migrations();

// Upgrades the file to `target` with the given steps, all in one transaction.
// Returns the number of steps applied.
int migrate(Connection& conn, const std::vector<Migration>& steps, std::int64_t target);

}  // namespace invlog::store
