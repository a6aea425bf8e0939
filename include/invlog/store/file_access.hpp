// Why a database file cannot be used, in words an operator can act on: the
// directory is missing, not writable, or the file belongs to another user.
// SQLite only says "unable to open database file" or "attempt to write a
// readonly database"; these look at the file system to say why.
#pragma once

#include <string>

namespace invlog::store {

// Why this process cannot create or write the database at `path` and the
// files SQLite keeps beside it (-wal, -shm, -journal); empty when the file
// system shows no reason.
std::string why_not_writable(const std::string& path);

// Why this process cannot read the database at `path`; empty when the file
// system shows no reason.
std::string why_not_readable(const std::string& path);

// "user NAME (uid N)" for a uid.
std::string user_name(unsigned uid);

// The path with every symbolic link and ./.. resolved (realpath(3)), or the
// path as given when it cannot be resolved. SQLite names the -wal and
// -journal after the file a symbolic link leads to.
std::string resolved_path(const std::string& path);

}  // namespace invlog::store
