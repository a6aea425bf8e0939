// The one place where failures become HTTP statuses and error bodies.
// invlog's own routes answer precisely:
//   rejected 400, usage 422, not_found 404, conflict 409, integrity 500,
//   storage 500 except the codes locked and overloaded, 503 with Retry-After;
// the reference service's five routes answer every refusal with 400, as it
// does. Every error body is {"detail": message, "code", "exit_code"}, the
// exit code being what the command line would have exited with.
#pragma once

#include <string>
#include <string_view>

#include "invlog/domain/error.hpp"
#include "invlog/http/message.hpp"

namespace invlog::http {

// The status of a failure on invlog's own routes.
int status_of(domain::ErrorKind kind, std::string_view code);

// The exit status the command line gives the same failure.
int exit_code_of(domain::ErrorKind kind);

// {"detail","code","exit_code"} with the status of status_of, and
// Retry-After on 503.
Response error_response(domain::ErrorKind kind, const std::string& code, const std::string& message);
inline Response error_response(const domain::Failure& f) { return error_response(f.kind(), f.code(), f.what()); }

// The same body on a reference route: 400 for every refusal (business rule,
// input, unknown SKU, conflict); storage and integrity failures as above.
Response reference_error_response(const domain::Failure& f);

// A response with a status, a body of {"detail": message} and the code and
// exit code given (for 404, 405, 401, 403, 413 and the like).
Response plain_error(int status, const std::string& code, const std::string& message, int exit_code);

// The seconds a client should wait before retrying a 503.
inline constexpr int retry_after_seconds = 1;

}  // namespace invlog::http
