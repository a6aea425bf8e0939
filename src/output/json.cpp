// JSON objects of states and events.
#include "invlog/output/json.hpp"

#include <array>
#include <iterator>

#include <fmt/format.h>

#include "invlog/util/time.hpp"

namespace invlog::output {
Json state_json(const domain::SkuState& s) {
    Json j;
    j["sku"] = s.sku;
    j["soh"] = s.state.soh;
    j["available_quantity"] = s.state.available_quantity;
    j["reserved"] = s.state.reserved;
    j["version"] = s.state.version;
    j["updated_at"] = util::format_time(s.updated_at);
    return j;
}

Json error_json(const std::string& code, const std::string& message, int exit_code) {
    Json err;
    err["code"] = code;
    err["message"] = message;
    err["exit_code"] = exit_code;
    return err;
}

std::string dump_line(const Json& j) { return j.dump(-1, ' ', false, Json::error_handler_t::replace); }

void append_json_string(std::string& out, std::string_view s) {
    static const char hex[] = "0123456789abcdef";
    out += '"';
    std::size_t i = 0;
    while (i < s.size()) {
        // The common case, a run of printable ASCII, is copied at once.
        static const auto plain = [] {
            std::array<bool, 256> t{};
            for (int b = 0x20; b < 0x80; ++b) t[b] = b != '"' && b != '\\';
            return t;
        }();
        std::size_t run = i;
        while (run < s.size() && plain[static_cast<unsigned char>(s[run])]) ++run;
        if (run > i) {
            out.append(s.substr(i, run - i));
            i = run;
            continue;
        }
        const auto c = static_cast<unsigned char>(s[i]);
        if (c < 0x80) {
            switch (c) {
            case '"': out += "\\\""; break;
            case '\\': out += "\\\\"; break;
            case '\b': out += "\\b"; break;
            case '\f': out += "\\f"; break;
            case '\n': out += "\\n"; break;
            case '\r': out += "\\r"; break;
            case '\t': out += "\\t"; break;
            default:
                out += "\\u00";
                out += hex[c >> 4];
                out += hex[c & 15];
            }
            ++i;
            continue;
        }
        // A whole UTF-8 sequence is copied; anything else becomes U+FFFD.
        const std::size_t n = (c >> 5) == 0x6 ? 2 : (c >> 4) == 0xe ? 3 : (c >> 3) == 0x1e ? 4 : 0;
        bool ok = n > 0 && i + n <= s.size();
        std::uint32_t cp = ok ? c & (0x7f >> n) : 0;
        for (std::size_t k = 1; ok && k < n; ++k) {
            const auto cc = static_cast<unsigned char>(s[i + k]);
            ok = (cc >> 6) == 0x2;
            cp = (cp << 6) | (cc & 0x3f);
        }
        static const std::uint32_t min_for[] = {0, 0, 0x80, 0x800, 0x10000};
        ok = ok && cp >= min_for[n] && cp <= 0x10ffff && (cp < 0xd800 || cp > 0xdfff);
        if (ok) {
            out.append(s.substr(i, n));
            i += n;
        } else {
            out += "\xef\xbf\xbd";
            ++i;
        }
    }
    out += '"';
}

namespace {

void append_nullable(std::string& out, const std::optional<std::string>& s) {
    if (s)
        append_json_string(out, *s);
    else
        out += "null";
}

}  // namespace

void append_state_json(std::string& out, const domain::SkuState& s, std::string_view extra_key,
                       std::int64_t extra_value) {
    auto it = std::back_inserter(out);
    out += "{\"sku\":";
    append_json_string(out, s.sku);
    fmt::format_to(it, ",\"soh\":{},\"available_quantity\":{},\"reserved\":{},\"version\":{},\"updated_at\":\"",
                   s.state.soh, s.state.available_quantity, s.state.reserved, s.state.version);
    out += util::format_time(s.updated_at);
    out += '"';
    if (!extra_key.empty()) {
        out += ',';
        append_json_string(out, extra_key);
        fmt::format_to(it, ":{}", extra_value);
    }
    out += '}';
}

std::string event_json(const domain::EventRecord& e, const domain::State* after) {
    // Written directly rather than through a JSON document: `events`,
    // `history` and `export file` write one of these per event.
    std::string out;
    out.reserve(384);
    out += "{\"seq\":";
    out += std::to_string(e.seq);
    out += ",\"event_id\":";
    append_json_string(out, e.event_id);
    out += ",\"sku\":";
    append_json_string(out, e.sku);
    out += ",\"version\":";
    out += std::to_string(e.version);
    out += ",\"event_type\":\"";
    out += domain::event_type(e.event);
    out += "\",\"data\":";
    out += domain::data_json_text(e.event);
    out += ",\"recorded_at\":\"";
    out += util::format_time(e.recorded_at);
    out += "\",\"actor\":";
    append_json_string(out, e.meta.actor);
    out += ",\"reason\":";
    append_nullable(out, e.meta.reason);
    out += ",\"command_id\":";
    append_json_string(out, e.meta.command_id);
    out += ",\"idempotency_key\":";
    append_nullable(out, e.meta.idempotency_key);
    out += ",\"hash\":";
    append_json_string(out, e.hash);
    if (after)
        out += fmt::format(",\"state\":{{\"soh\":{},\"available_quantity\":{},\"reserved\":{},\"version\":{}}}",
                           after->soh, after->available_quantity, after->reserved, after->version);
    out += '}';
    return out;
}

std::string history_json(const domain::EventRecord& e, const domain::State* after) {
    std::string out = event_json(e, after);
    if (!after) out.insert(out.size() - 1, ",\"state\":null");
    return out;
}

}  // namespace invlog::output
