// Names of error kinds, as shown in JSON error objects.
#include "invlog/domain/error.hpp"

namespace invlog::domain {

std::string_view kind_name(ErrorKind kind) {
    switch (kind) {
    case ErrorKind::rejected: return "rejected";
    case ErrorKind::usage: return "usage";
    case ErrorKind::not_found: return "not_found";
    case ErrorKind::conflict: return "conflict";
    case ErrorKind::storage: return "storage";
    case ErrorKind::integrity: return "integrity";
    }
    return "unknown";
}

}  // namespace invlog::domain
