// /healthz, /openapi.json, /stats, /verify and /exports. The reports are those of
// `invlog -o json stats|verify`; a log that does not verify is still a 200:
// the report is the answer.
#include <fmt/format.h>

#include "handlers.hpp"
#include "invlog/app/upkeep.hpp"
#include "invlog/app/verify.hpp"
#include "invlog/domain/error.hpp"
#include "invlog/http/openapi.hpp"
#include "invlog/http/params.hpp"
#include "invlog/output/audit_reports.hpp"
#include "invlog/output/json.hpp"
#include "invlog/store/export_positions.hpp"
#include "invlog/util/time.hpp"

namespace invlog::http {
namespace {

// 64 hex digits, lowercased.
std::string hash_value(std::string_view text, std::string_view what) {
    std::string out;
    bool ok = text.size() == 64;
    for (char c : text) {
        if ((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))
            out.push_back(c);
        else if (c >= 'A' && c <= 'F')
            out.push_back(static_cast<char>(c - 'A' + 'a'));
        else
            ok = false;
    }
    if (!ok)
        throw domain::usage_error("invalid_argument", fmt::format("invalid {} '{}': expected a SHA-256 hash of 64 hex "
                                                                  "digits",
                                                                  what, text.substr(0, 80)));
    return out;
}

}  // namespace

Response handle_healthz(const Call& call) {
    output::Json j;
    j["status"] = "ok";
    j["head_seq"] = call.service.committer().head_seq();
    Response r;
    r.body = output::dump_line(j);
    return r;
}

Response handle_openapi(const Call&) {
    Response r;
    r.body = openapi_document();
    return r;
}

Response handle_stats(const Call& call) {
    Params p(call.target, {});
    auto& store = call.service.reader();
    const app::Stats s = app::stats(store);
    Response r;
    r.body = output::render_report(output::stats_report(s), output::Format::json, {});
    return r;
}

Response handle_verify(const Call& call) {
    Params p(call.target, {"expect_head", "expect"}, {"expect"});
    app::VerifyOptions options;
    if (auto head = p.text("expect_head")) options.expect_head = hash_value(*head, "query parameter expect_head");
    for (const auto& e : p.all("expect")) {
        const auto at = e.rfind('@');
        if (at == std::string::npos)
            throw domain::usage_error("invalid_argument",
                                      fmt::format("invalid query parameter expect '{}': expected HASH@SEQ",
                                                  e.substr(0, 80)));
        options.expect.push_back(
            app::Expectation{parse_count_value(e.substr(at + 1), "query parameter expect seq", 1, INT64_MAX),
                             hash_value(e.substr(0, at), "query parameter expect hash")});
    }
    auto& store = call.service.reader();
    const app::VerifyReport report = app::verify(store, options);
    Response r;
    r.body = output::render_report(output::verify_report(store.path(), report), output::Format::json, {});
    return r;
}

// Read in one transaction, so that the head and the positions agree.
Response handle_exports(const Call& call) {
    Params p(call.target, {});
    auto& store = call.service.reader();
    store::EventStore::Transaction tx(store, false);
    const std::int64_t head = store.head().seq;
    output::Json list = output::Json::array();
    for (const auto& position : store.list_export_positions()) {
        output::Json j;
        j["destination"] = position.destination;
        j["last_seq"] = position.last_seq;
        j["updated_at"] = util::format_time(position.updated_at);
        j["head_seq"] = head;
        j["lag"] = std::max<std::int64_t>(0, head - position.last_seq);
        j["compat"] = position.compat ? output::Json(*position.compat) : output::Json(nullptr);
        list.push_back(std::move(j));
    }
    Response r;
    r.body = list.dump();
    return r;
}

}  // namespace invlog::http
