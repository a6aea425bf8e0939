// Exit statuses: the one table that maps error kinds to them. The one status
// that no kind maps to, 7, is chosen in run.cpp, which alone knows that a
// command had committed its change before its output failed.
#pragma once

#include <string_view>

#include "invlog/domain/error.hpp"

namespace invlog::cli {

enum class ExitStatus : int {
    ok = 0,
    rejected = 1,   // refused by a business rule
    usage = 2,      // usage error or invalid input
    not_found = 3,  // SKU not found
    conflict = 4,   // expected version or idempotency key conflict
    storage = 5,    // cannot open, locked, read-only, not invlog, corrupt, disk full
    integrity = 6,  // verification failed
    // The change was committed, but its output could not be written (a full
    // disk, a closed pipe): a script must not retry it as if it had failed.
    recorded_output_failed = 7,
};

constexpr ExitStatus exit_status(domain::ErrorKind kind) {
    switch (kind) {
    case domain::ErrorKind::rejected: return ExitStatus::rejected;
    case domain::ErrorKind::usage: return ExitStatus::usage;
    case domain::ErrorKind::not_found: return ExitStatus::not_found;
    case domain::ErrorKind::conflict: return ExitStatus::conflict;
    case domain::ErrorKind::storage: return ExitStatus::storage;
    case domain::ErrorKind::integrity: return ExitStatus::integrity;
    }
    return ExitStatus::storage;
}

// The code of a failure to write standard output (Context::write, flush).
inline constexpr std::string_view output_failed_code = "output_failed";

// The status of a failure: that of its kind, except that an output failure
// after the command recorded its change is 7, never a status that says
// nothing happened.
inline ExitStatus exit_status(const domain::Failure& failure, bool recorded) {
    if (recorded && failure.code() == output_failed_code) return ExitStatus::recorded_output_failed;
    return exit_status(failure.kind());
}

}  // namespace invlog::cli
