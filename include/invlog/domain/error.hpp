// The error vocabulary shared by every layer: what kind of failure happened and
// its stable machine-readable code. The domain returns Rejection values; outer
// layers throw Failure; cli/exit_status.cpp maps the kind to an exit status.
#pragma once

#include <stdexcept>
#include <string>
#include <string_view>

namespace invlog::domain {

enum class ErrorKind {
    rejected,   // a business rule refused the command
    usage,      // bad arguments or input
    not_found,  // the SKU does not exist
    conflict,   // expected version or idempotency key mismatch
    storage,    // the database could not be used
    integrity,  // the log does not verify
};

std::string_view kind_name(ErrorKind kind);

// A refusal decided by the domain: a stable code and a one-line message that
// names the SKU and the numbers involved.
struct Rejection {
    ErrorKind kind = ErrorKind::rejected;
    std::string code;
    std::string message;
};

// The one exception type the outer layers throw for expected failures.
class Failure : public std::runtime_error {
public:
    Failure(ErrorKind kind, std::string code, const std::string& message)
        : std::runtime_error(message), m_kind(kind), m_code(std::move(code)) {}
    explicit Failure(const Rejection& r) : Failure(r.kind, r.code, r.message) {}

    ErrorKind kind() const { return m_kind; }
    const std::string& code() const { return m_code; }

private:
    ErrorKind m_kind;
    std::string m_code;
};

inline Failure usage_error(const std::string& code, const std::string& message) {
    return Failure(ErrorKind::usage, code, message);
}
inline Failure storage_error(const std::string& code, const std::string& message) {
    return Failure(ErrorKind::storage, code, message);
}

}  // namespace invlog::domain
