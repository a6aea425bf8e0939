// The on-disk format of an invlog file.
//
// Format version 1 (PRAGMA user_version = 1, PRAGMA application_id = 0x494E564C "INVL"):
//   events      the log. One row per event, seq (INTEGER PRIMARY KEY) is the
//               global order; (sku, version) is UNIQUE and versions are
//               contiguous from 1 per SKU. Rows are only ever appended:
//               triggers abort every UPDATE and DELETE.
//               data is a compact JSON object of the event's integer fields.
//               hash = SHA-256(previous event's hash || canonical bytes of this
//               event); the first event chains to 32 zero bytes (see codec.hpp).
//   inventory   the read model: one row per SKU with its current state, written
//               in the same transaction as the events it reflects.
//   idempotency one row per idempotency key: the fingerprint of the command it
//               was first used with and the SKU version that command produced.
//   snapshots   derived data: the state of a SKU after every snapshot-every
//               versions (with the seq and recorded_at of that version's event),
//               written with the events, so that replay can start there.
//               Deleting them changes no answer, only speed.
//   export_positions  the last seq exported to each destination (a MongoDB
//               host/database/collection, never credentials).
//   settings    key/value settings of this file, as text (settings.hpp lists
//               the keys; a missing key has its default).
// Files written by a newer invlog (higher user_version) and files of other
// programs are refused before anything is written to them.
#pragma once

#include <cstdint>
#include <functional>
#include <vector>

#include "invlog/store/sqlite.hpp"

namespace invlog::store {

inline constexpr std::int64_t schema_version = 1;
inline constexpr std::int64_t application_id = 0x494E564C;

enum class FileKind { empty, invlog, newer, foreign };

// Looks at a file without writing to it.
FileKind classify(Connection& conn);

// Creates the current schema in an empty file (inside the caller's transaction).
void create_schema(Connection& conn);

// One upgrade step from version `from` to from + 1, run inside a transaction.
struct Migration {
    std::int64_t from;
    std::function<void(Connection&)> apply;
};

// The registered upgrade steps, in order.
const std::vector<Migration>& migrations();

// Upgrades the file to `target` with the given steps, all in one transaction.
// Returns the number of steps applied.
int migrate(Connection& conn, const std::vector<Migration>& steps, std::int64_t target);

}  // namespace invlog::store
