// Targets, bodies and decoders of the CLI's server client (see remote.hpp).
// The server's answers are the JSON the local renderers write
// (output/json.cpp, audit_reports.cpp, apply_result.cpp); decoding them
// gives back the values, which the CLI renders as it does locally.
#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "invlog/cli/exit_status.hpp"
#include "invlog/http/remote.hpp"
#include "invlog/http/router.hpp"
#include "invlog/store/codec.hpp"
#include "invlog/util/overloaded.hpp"
#include "invlog/util/time.hpp"

namespace invlog::http::remote {
namespace {

using Json = nlohmann::json;

[[noreturn]] void bad_response(std::string_view why) {
    throw domain::storage_error("bad_response",
                                fmt::format("the server's answer is not what invlog serve sends: {}", why));
}

Json parse(std::string_view text) {
    Json j = Json::parse(text, nullptr, false);
    if (j.is_discarded()) bad_response("not JSON");
    return j;
}

const Json& field(const Json& j, const char* key) {
    if (!j.is_object()) bad_response("expected a JSON object");
    auto it = j.find(key);
    if (it == j.end()) bad_response(fmt::format("no \"{}\"", key));
    return *it;
}

std::int64_t integer(const Json& j, const char* key) {
    const Json& v = field(j, key);
    if (!v.is_number_integer()) bad_response(fmt::format("\"{}\" is not an integer", key));
    return v.get<std::int64_t>();
}

std::string text(const Json& j, const char* key) {
    const Json& v = field(j, key);
    if (!v.is_string()) bad_response(fmt::format("\"{}\" is not a string", key));
    return v.get<std::string>();
}

std::optional<std::string> text_or_null(const Json& j, const char* key) {
    if (field(j, key).is_null()) return std::nullopt;
    return text(j, key);
}

domain::Millis time_of(const Json& j, const char* key) {
    auto t = util::parse_time(text(j, key));
    if (!t) bad_response(fmt::format("\"{}\" is not a time", key));
    return *t;
}

std::optional<domain::Millis> time_or_null(const Json& j, const char* key) {
    if (field(j, key).is_null()) return std::nullopt;
    return time_of(j, key);
}

domain::State quantities(const Json& j) {
    return domain::State{integer(j, "soh"), integer(j, "available_quantity"), integer(j, "reserved"),
                         integer(j, "version")};
}

domain::SkuState state_of(const Json& j) {
    return domain::SkuState{text(j, "sku"), quantities(j), time_of(j, "updated_at")};
}

util::Digest digest_of(const std::string& hex) {
    util::Digest d{};
    if (hex.size() != d.size() * 2) bad_response("a hash is not 64 hex digits");
    auto nibble = [](char c) {
        if (c >= '0' && c <= '9') return c - '0';
        if (c >= 'a' && c <= 'f') return c - 'a' + 10;
        bad_response("a hash is not lowercase hex");
    };
    for (std::size_t i = 0; i < d.size(); ++i)
        d[i] = static_cast<std::uint8_t>(nibble(hex[2 * i]) * 16 + nibble(hex[2 * i + 1]));
    return d;
}

std::vector<app::Problem> problems_of(const Json& j, const char* key) {
    std::vector<app::Problem> out;
    const Json& list = field(j, key);
    if (!list.is_array()) bad_response(fmt::format("\"{}\" is not a list", key));
    for (const Json& p : list) {
        app::Problem problem;
        problem.seq = field(p, "seq").is_null() ? 0 : integer(p, "seq");
        problem.sku = text_or_null(p, "sku").value_or("");
        problem.code = text(p, "code");
        problem.message = text(p, "message");
        out.push_back(std::move(problem));
    }
    return out;
}

std::string query(std::vector<std::pair<std::string, std::string>> params) {
    std::string out;
    for (const auto& [k, v] : params) out += fmt::format("{}{}={}", out.empty() ? "?" : "&", k, percent_encode(v));
    return out;
}

std::string sku_path(const std::string& sku) { return "/inventory/" + percent_encode(sku); }

// Inserts "key":value at the start of an object's text.
void insert_field(std::string& line, const std::string& key, const std::string& value) {
    const auto open = line.find('{');
    const auto next = line.find_first_not_of(" \t\r\n", open + 1);
    const bool empty = next != std::string::npos && line[next] == '}';
    line.insert(open + 1,
                fmt::format("{}:{}{}", Json(key).dump(),
                            Json(value).dump(-1, ' ', false, Json::error_handler_t::replace), empty ? "" : ","));
}

}  // namespace

std::string state_target(const std::string& sku, const app::At& at) {
    std::vector<std::pair<std::string, std::string>> q;
    if (at.time) q.emplace_back("as_of", util::format_time(*at.time));
    if (at.version) q.emplace_back("at_version", std::to_string(*at.version));
    return sku_path(sku) + "/state" + query(q);
}

std::string list_target(const std::optional<domain::Millis>& as_of, const std::optional<std::int64_t>& at_seq) {
    std::vector<std::pair<std::string, std::string>> q{{"format", "ndjson"}};
    if (as_of) q.emplace_back("as_of", util::format_time(*as_of));
    if (at_seq) q.emplace_back("at_seq", std::to_string(*at_seq));
    return "/inventory" + query(q);
}

std::string history_target(const app::HistoryQuery& h) {
    std::vector<std::pair<std::string, std::string>> q{{"format", "ndjson"}};
    if (h.since) q.emplace_back("since", util::format_time(*h.since));
    if (h.until) q.emplace_back("until", util::format_time(*h.until));
    return sku_path(h.sku) + "/history" + query(q);
}

std::string events_target(const store::EventFilter& f) {
    std::vector<std::pair<std::string, std::string>> q{{"format", "ndjson"}};
    if (f.sku) q.emplace_back("sku", *f.sku);
    if (f.since) q.emplace_back("since", util::format_time(*f.since));
    if (f.until) q.emplace_back("until", util::format_time(*f.until));
    if (f.after_seq) q.emplace_back("after", std::to_string(f.after_seq));
    if (f.limit) q.emplace_back("limit", std::to_string(*f.limit));
    return "/events" + query(q);
}

std::string command_target(const app::Request& r) {
    return sku_path(r.sku) + "/" + std::string(domain::command_name(r.command));
}

std::string apply_target(const batch::Options& options) {
    if (options.atomic) return "/apply?atomic=true";
    if (options.stop_on_error) return "/apply?stop_on_error=true";
    return "/apply";
}

std::string verify_target(const app::VerifyOptions& options) {
    std::vector<std::pair<std::string, std::string>> q;
    if (options.expect_head) q.emplace_back("expect_head", *options.expect_head);
    for (const auto& e : options.expect) q.emplace_back("expect", fmt::format("{}@{}", e.hash, e.seq));
    return "/verify" + query(q);
}

std::string command_body(const app::Request& r) {
    nlohmann::ordered_json j = nlohmann::ordered_json::object();
    // The command's fields under their HTTP names (command_table.cpp).
    std::visit(util::overloaded{
                   [&](const domain::Create& c) {
                       j["soh"] = c.soh;
                       if (c.available) j["available_quantity"] = *c.available;
                   },
                   [&](const domain::SetSoh& c) {
                       j["soh"] = c.soh;
                       if (c.available) j["available_quantity"] = *c.available;
                   },
                   [&](const domain::SetAvailable& c) { j["available_quantity"] = c.available; },
                   [&](const domain::Reserve& c) { j["quantity"] = c.qty; },
                   [&](const domain::Complete& c) { j["quantity"] = c.qty; },
                   [&](const domain::Release& c) { j["quantity"] = c.qty; },
                   [&](const domain::Receive& c) { j["quantity"] = c.qty; },
                   [&](const domain::Adjust& c) { j["quantity"] = c.delta; },
               },
               r.command);
    j["actor"] = r.actor;
    if (r.reason) j["reason"] = *r.reason;
    return j.dump(-1, ' ', false, nlohmann::ordered_json::error_handler_t::replace);
}

std::vector<std::pair<std::string, std::string>> command_headers(const app::Request& r) {
    std::vector<std::pair<std::string, std::string>> h;
    if (r.idempotency_key) h.emplace_back("Idempotency-Key", *r.idempotency_key);
    if (r.expected_version) h.emplace_back("If-Match", fmt::format("\"{}\"", *r.expected_version));
    return h;
}

std::string apply_line(std::string_view line, const batch::Defaults& defaults) {
    std::string out(line);
    const Json j = Json::parse(line, nullptr, false);
    if (j.is_discarded() || !j.is_object()) return out;
    if (defaults.reason && !j.contains("reason")) insert_field(out, "reason", *defaults.reason);
    if (!j.contains("actor")) insert_field(out, "actor", defaults.actor);
    return out;
}

domain::SkuState decode_state(std::string_view body) { return state_of(parse(body)); }

domain::SkuState decode_state(std::string_view body, std::string_view resolved_key,
                              std::optional<std::int64_t>& resolved) {
    const Json j = parse(body);
    resolved.reset();
    if (j.is_object() && j.contains(resolved_key)) resolved = integer(j, std::string(resolved_key).c_str());
    return state_of(j);
}

DecodedEvent decode_event(std::string_view line) {
    const Json j = parse(line);
    DecodedEvent out;
    auto& e = out.record;
    e.seq = integer(j, "seq");
    e.event_id = text(j, "event_id");
    e.sku = text(j, "sku");
    e.version = integer(j, "version");
    const std::string type = text(j, "event_type");
    auto event = store::decode_data(type, field(j, "data").dump());
    if (!event) bad_response(fmt::format("event {} of type {} does not decode", e.seq, type));
    e.event = *event;
    e.recorded_at = time_of(j, "recorded_at");
    e.meta.actor = text(j, "actor");
    e.meta.reason = text_or_null(j, "reason");
    e.meta.command_id = text(j, "command_id");
    e.meta.idempotency_key = text_or_null(j, "idempotency_key");
    e.hash = text(j, "hash");
    if (auto it = j.find("state"); it != j.end() && !it->is_null()) out.after = quantities(*it);
    return out;
}

app::Outcome decode_outcome(std::string_view body) {
    const Json j = parse(body);
    app::Outcome out;
    out.state = state_of(j);
    if (auto it = j.find("replayed"); it != j.end()) out.replayed = it->is_boolean() && it->get<bool>();
    if (auto it = j.find("notes"); it != j.end()) {
        if (!it->is_array()) bad_response("\"notes\" is not a list");
        for (const Json& n : *it) {
            if (!n.is_string()) bad_response("a note is not a string");
            out.notes.push_back(n.get<std::string>());
        }
    }
    return out;
}

batch::LineResult decode_apply_line(std::string_view line) {
    const Json j = parse(line);
    batch::LineResult r;
    r.line = integer(j, "line");
    const Json& ok = field(j, "ok");
    if (ok == true) {
        app::Outcome outcome = decode_outcome(field(j, "state").dump());
        if (auto it = j.find("replayed"); it != j.end()) outcome.replayed = it->is_boolean() && it->get<bool>();
        if (auto it = j.find("notes"); it != j.end() && it->is_array())
            for (const Json& n : *it)
                if (n.is_string()) outcome.notes.push_back(n.get<std::string>());
        r.result = std::move(outcome);
        return r;
    }
    const Json& error = field(j, "error");
    const std::int64_t exit_code = integer(error, "exit_code");
    domain::ErrorKind kind = domain::ErrorKind::storage;
    for (auto k : {domain::ErrorKind::rejected, domain::ErrorKind::usage, domain::ErrorKind::not_found,
                   domain::ErrorKind::conflict, domain::ErrorKind::storage, domain::ErrorKind::integrity})
        if (static_cast<int>(cli::exit_status(k)) == exit_code) kind = k;
    r.result = batch::LineError{kind, text(error, "code"), text(error, "message")};
    return r;
}

app::Stats decode_stats(std::string_view body, const std::string& location) {
    const Json j = parse(body);
    app::Stats s;
    s.path = location;
    if (!field(j, "file_size_bytes").is_null()) s.file_bytes = integer(j, "file_size_bytes");
    s.schema_version = integer(j, "schema_version");
    s.snapshot_every = integer(j, "snapshot_every");
    s.counts.events = integer(j, "events");
    s.counts.skus = integer(j, "skus");
    s.counts.snapshots = integer(j, "snapshots");
    s.counts.idempotency_keys = integer(j, "idempotency_keys");
    s.counts.first_recorded_at = time_or_null(j, "first_recorded_at");
    s.counts.last_recorded_at = time_or_null(j, "last_recorded_at");
    s.head.seq = integer(j, "head_seq");
    if (auto hash = text_or_null(j, "head_hash")) s.head.hash = digest_of(*hash);
    return s;
}

app::VerifyReport decode_verify(std::string_view body) {
    const Json j = parse(body);
    app::VerifyReport r;
    r.events = integer(j, "events");
    r.skus = integer(j, "skus");
    r.snapshots = integer(j, "snapshots_checked");
    r.idempotency_keys = integer(j, "idempotency_keys_checked");
    r.first_recorded_at = time_or_null(j, "first_recorded_at");
    r.last_recorded_at = time_or_null(j, "last_recorded_at");
    r.head_seq = integer(j, "head_seq");
    r.head_hash = text_or_null(j, "head_hash").value_or("");
    r.problems = problems_of(j, "problems");
    r.notices = problems_of(j, "notices");
    return r;
}

domain::Failure failure_of(int status, std::string_view body, const Endpoint& endpoint, bool token_given) {
    if (status == 401)
        return domain::storage_error("unauthorized",
                                     token_given
                                         ? fmt::format("the server at {} refused the token (INVLOG_TOKEN or "
                                                       "--token-file): it is not valid there",
                                                       endpoint.where())
                                         : fmt::format("the server at {} requires a token: set INVLOG_TOKEN or give "
                                                       "--token-file FILE",
                                                       endpoint.where()));
    if (status == 403)
        return domain::storage_error("forbidden", fmt::format("the server at {} lets this token only read; this "
                                                              "command writes",
                                                              endpoint.where()));
    const Json j = Json::parse(body, nullptr, false);
    const bool ours = j.is_object() && j.contains("code") && j["code"].is_string() && j.contains("exit_code") &&
                      j["exit_code"].is_number_integer() && j.contains("detail") && j["detail"].is_string();
    if (!ours)
        return domain::storage_error("bad_response", fmt::format("the server at {} answered HTTP {} without "
                                                                 "invlog's error body (is it invlog serve?)",
                                                                 endpoint.where(), status));
    const auto exit_code = j["exit_code"].get<std::int64_t>();
    domain::ErrorKind kind = domain::ErrorKind::storage;
    for (auto k : {domain::ErrorKind::rejected, domain::ErrorKind::usage, domain::ErrorKind::not_found,
                   domain::ErrorKind::conflict, domain::ErrorKind::storage, domain::ErrorKind::integrity})
        if (static_cast<int>(cli::exit_status(k)) == exit_code) kind = k;
    return domain::Failure(kind, j["code"].get<std::string>(), j["detail"].get<std::string>());
}

bool LineSplitter::feed(std::string_view chunk, const Fn& fn) {
    while (!chunk.empty()) {
        const auto nl = chunk.find('\n');
        if (nl == std::string_view::npos) {
            m_pending.append(chunk);
            return true;
        }
        bool go = true;
        if (m_pending.empty()) {
            go = fn(chunk.substr(0, nl));
        } else {
            m_pending.append(chunk.substr(0, nl));
            go = fn(m_pending);
            m_pending.clear();
        }
        if (!go) return false;
        chunk.remove_prefix(nl + 1);
    }
    return true;
}

bool LineSplitter::finish(const Fn& fn) {
    if (m_pending.empty()) return true;
    std::string last = std::move(m_pending);
    m_pending.clear();
    return fn(last);
}

}  // namespace invlog::http::remote
