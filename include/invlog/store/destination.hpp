// Where a command may write a file of its own (a backup, an export): never
// over the database it reads nor the files SQLite keeps beside it, whatever
// the name says. Files are compared by device and inode, and names by the
// directory they are in (by device and inode too), so symbolic links, hard
// links, "./" and ".." name the same file as SQLite does.
#pragma once

#include <string>
#include <string_view>

#include "invlog/domain/error.hpp"

namespace invlog::store {

struct DestinationRules {
    bool replace = false;        // --force: an existing file may be replaced
    bool refuse_sqlite = false;  // never replace an SQLite database (an export is not one)
    std::string_view verb;       // "backed up", "exported": for messages
};

// Throws a usage Failure (exit 2: the user names another file or adds
// --force) when `target` must not be written:
// target_is_source (the database, its -wal, -shm or -journal, existing or
// not), target_is_directory, target_not_regular (a device, a pipe, a
// socket), target_is_database (an SQLite file, with refuse_sqlite) or
// target_exists (without replace); invalid_argument for an empty name.
void check_destination(const std::string& target, const std::string& database, const DestinationRules& rules);

}  // namespace invlog::store
