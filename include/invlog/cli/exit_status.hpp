// Exit statuses: the one table that maps error kinds to them.
#pragma once

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

}  // namespace invlog::cli
