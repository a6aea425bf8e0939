// The CLI against a server (--db http://host:8000): where the server is and
// how to reach it, and the pure half of the client, which turns requests
// into targets and bodies and the server's JSON answers back into the
// domain and app values the CLI's renderers print. No socket here, so the
// unit tests and the core link it; the transport (cpp-httplib) is in the
// HTTP module (src/http/remote_inventory.cpp).
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

#include "invlog/app/queries.hpp"
#include "invlog/app/service.hpp"
#include "invlog/app/upkeep.hpp"
#include "invlog/app/verify.hpp"
#include "invlog/batch/apply.hpp"
#include "invlog/domain/error.hpp"
#include "invlog/store/event_store.hpp"

namespace invlog::http {

// An http:// or https:// URL as --db takes it: scheme, host, port and an
// optional path prefix (a server behind a proxy at /invlog).
struct Endpoint {
    bool tls = false;
    std::string host;  // as written, brackets of an IPv6 literal kept
    int port = 0;
    std::string prefix;  // "" or "/invlog", no trailing slash
    std::string url;     // as the user wrote it, for messages

    // "127.0.0.1:8000", the name every transport message gives.
    std::string where() const;
    // "http://127.0.0.1:8000", what cpp-httplib's Client takes.
    std::string origin() const;
};

// Whether --db names a server rather than a file.
bool is_url(std::string_view text);
// Throws a usage Failure (invalid_argument) naming `what` when the URL is not
// one invlog can use: no host, a bad port, user:password@ (a secret in argv;
// use INVLOG_TOKEN), a query or fragment.
Endpoint parse_url(std::string_view text, std::string_view what);

struct RemoteOptions {
    Endpoint endpoint;
    std::string token;    // empty: none; never shown in a message
    std::string ca_file;  // empty: the system's CA store
    int connect_timeout_s = 10;
    int read_timeout_s = 60;
};

// The token of a client's --token-file: its first line that is neither
// blank nor a '#' comment ("read:" before it is dropped, so that a line of
// serve's file can be copied). Refused, as serve refuses its file, when
// other users may read or write it. Never echoes the token.
std::string read_client_token(const std::string& path);
// Refuses a token that cannot travel in a header (control characters,
// spaces inside); `what` names its source.
void check_token(std::string_view token, std::string_view what);

namespace remote {

// Targets: the route and its query, percent-encoded.
std::string state_target(const std::string& sku, const app::At& at);
std::string list_target(const std::optional<domain::Millis>& as_of, const std::optional<std::int64_t>& at_seq);
std::string history_target(const app::HistoryQuery& query);
std::string events_target(const store::EventFilter& filter);
std::string command_target(const app::Request& request);
std::string apply_target(const batch::Options& options);
std::string verify_target(const app::VerifyOptions& options);

// The JSON body of POST /inventory/{sku}/{command}: the command's fields
// under their HTTP names, actor and reason. Idempotency-Key and If-Match
// travel as headers (command_headers).
std::string command_body(const app::Request& request);
std::vector<std::pair<std::string, std::string>> command_headers(const app::Request& request);

// An apply line as it goes to the server: the CLI's --actor and --reason
// (batch::Defaults) added to a line that is a JSON object without them, as
// the local apply would default them; any other line goes as it is, for the
// server to report as the local apply would.
std::string apply_line(std::string_view line, const batch::Defaults& defaults);

// Decoders. Each throws a storage Failure (bad_response) when the answer is
// not what `invlog serve` sends.
domain::SkuState decode_state(std::string_view body);
// A state and the resolved_version or resolved_seq it carries, if any.
domain::SkuState decode_state(std::string_view body, std::string_view resolved_key,
                              std::optional<std::int64_t>& resolved);
struct DecodedEvent {
    domain::EventRecord record;
    std::optional<domain::State> after;  // history rows only
};
DecodedEvent decode_event(std::string_view line);
app::Outcome decode_outcome(std::string_view body);
// One result line of POST /apply.
batch::LineResult decode_apply_line(std::string_view line);
app::Stats decode_stats(std::string_view body, const std::string& location);
app::VerifyReport decode_verify(std::string_view body);

// A response that is not 2xx as the failure the local command would throw:
// the kind from the body's exit_code, its code and its message. 401 and 403
// become storage failures (exit 5, unauthorized or forbidden) that say what
// to do; an answer without invlog's error body is bad_response.
domain::Failure failure_of(int status, std::string_view body, const Endpoint& endpoint, bool token_given);

// Splits a streamed body into lines as the chunks arrive; a line is handed
// over once its newline has come (or at finish()).
class LineSplitter {
public:
    // The callback returns false to stop; feed() returns false then too.
    using Fn = std::function<bool(std::string_view line)>;
    bool feed(std::string_view chunk, const Fn& fn);
    bool finish(const Fn& fn);

private:
    std::string m_pending;
};

}  // namespace remote
}  // namespace invlog::http
