// Online backup: a consistent copy of a file that other processes may be
// writing to.
#pragma once

#include <cstdint>
#include <string>

#include "invlog/store/sqlite_store.hpp"

namespace invlog::store {

struct BackupResult {
    std::int64_t bytes = 0;
    Head head;  // the last event in the copy
};

// Copies the database to `target` with SQLite's online backup API inside one
// read transaction, so the copy is the file as of one moment while writers
// carry on. The copy is written beside the target under a temporary name,
// synced, and then moved into place, so `target` never holds half a copy.
// The copy is in rollback-journal mode: one self-contained file that needs
// no -wal or -shm, so that it opens anywhere, read-only media included.
// Refuses an existing target unless `replace`, and never the source or the
// files beside it (check_destination in destination.hpp); usage Failures.
// A failure writing the copy (a full disk) names the target.
BackupResult backup(SqliteStore& source, const std::string& target, bool replace);

}  // namespace invlog::store
