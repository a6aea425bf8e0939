// Files of format 1, the first on-disk format, as invlog 1 wrote them: its
// DDL verbatim, and a filled file made by copying the rows of a current one
// (the event rows and their hash chain are the same in both formats).
#pragma once

#include <string>

namespace invlog::testing {

// The schema of format 1 exactly as invlog 1 created it.
extern const char* const format1_ddl;

// Writes a format 1 file at `path` holding the rows of the current-format
// file at `source` (snapshots without their hash, export positions without
// last_hash and compat).
void copy_as_format1(const std::string& source, const std::string& path);

}  // namespace invlog::testing
