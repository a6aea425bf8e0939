// Failures to statuses and error bodies (see status.hpp).
#include "invlog/http/status.hpp"

#include <cctype>

#include "invlog/cli/exit_status.hpp"
#include "invlog/output/json.hpp"

namespace invlog::http {

std::optional<std::string> find_header(const Headers& headers, std::string_view name) {
    auto same = [&](std::string_view a) {
        if (a.size() != name.size()) return false;
        for (std::size_t i = 0; i < a.size(); ++i)
            if (std::tolower(static_cast<unsigned char>(a[i])) != std::tolower(static_cast<unsigned char>(name[i])))
                return false;
        return true;
    };
    for (const auto& [k, v] : headers)
        if (same(k)) return v;
    return std::nullopt;
}

int exit_code_of(domain::ErrorKind kind) { return static_cast<int>(cli::exit_status(kind)); }

int status_of(domain::ErrorKind kind, std::string_view code) {
    switch (kind) {
    case domain::ErrorKind::rejected: return 400;
    case domain::ErrorKind::usage: return 422;
    case domain::ErrorKind::not_found: return 404;
    case domain::ErrorKind::conflict: return 409;
    case domain::ErrorKind::integrity: return 500;
    // Worth retrying: a busy file or server, or a shared store whose other
    // writers kept winning the commit (write_conflict, after the retries).
    case domain::ErrorKind::storage:
        return code == "locked" || code == "overloaded" || code == "write_conflict" ? 503 : 500;
    }
    return 500;
}

Response plain_error(int status, const std::string& code, const std::string& message, int exit_code) {
    output::Json j;
    j["detail"] = message;
    j["code"] = code;
    j["exit_code"] = exit_code;
    Response r;
    r.status = status;
    r.body = output::dump_line(j);
    if (status == 503) r.set_header("Retry-After", std::to_string(retry_after_seconds));
    return r;
}

Response error_response(domain::ErrorKind kind, const std::string& code, const std::string& message) {
    return plain_error(status_of(kind, code), code, message, exit_code_of(kind));
}

Response reference_error_response(const domain::Failure& f) {
    switch (f.kind()) {
    case domain::ErrorKind::storage:
    case domain::ErrorKind::integrity: return error_response(f);
    default: return plain_error(400, f.code(), f.what(), exit_code_of(f.kind()));
    }
}

}  // namespace invlog::http
