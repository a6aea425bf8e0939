// Python's json.dumps, as the reference echoes values in its errors (see
// pyjson.hpp): compact separators, non-ASCII kept, floats as repr writes them.
#include <charconv>
#include <cmath>
#include <cstdlib>

#include "invlog/http/pyjson.hpp"

namespace invlog::http::py {

std::string float_repr(double x) {
    if (std::isnan(x)) return "NaN";
    if (std::isinf(x)) return x > 0 ? "Infinity" : "-Infinity";
    char buf[64];
    auto res = std::to_chars(buf, buf + sizeof buf, x, std::chars_format::scientific);
    std::string_view sci(buf, static_cast<std::size_t>(res.ptr - buf));  // "-1.5e+20"
    std::string out;
    if (sci.starts_with('-')) {
        out += '-';
        sci.remove_prefix(1);
    }
    const auto e = sci.find('e');
    std::string digits;
    for (char c : sci.substr(0, e))
        if (c != '.') digits += c;
    const int exp10 = std::atoi(std::string(sci.substr(e + 1)).c_str());
    const int decpt = exp10 + 1;  // x = 0.DIGITS * 10^decpt
    const int n = static_cast<int>(digits.size());
    if (decpt <= -4 || decpt > 16) {
        out += digits[0];
        if (n > 1) out += "." + digits.substr(1);
        const int shown = decpt - 1;
        out += shown < 0 ? "e-" : "e+";
        const int mag = shown < 0 ? -shown : shown;
        if (mag < 10) out += '0';
        out += std::to_string(mag);
    } else if (decpt <= 0) {
        out += "0." + std::string(static_cast<std::size_t>(-decpt), '0') + digits;
    } else if (decpt >= n) {
        out += digits + std::string(static_cast<std::size_t>(decpt - n), '0') + ".0";
    } else {
        out += digits.substr(0, static_cast<std::size_t>(decpt)) + "." + digits.substr(static_cast<std::size_t>(decpt));
    }
    return out;
}

void dump_string(std::string& out, std::string_view s) {
    static const char hexd[] = "0123456789abcdef";
    out += '"';
    std::size_t i = 0;
    while (i < s.size()) {
        const auto c = static_cast<unsigned char>(s[i]);
        if (c >= 0x80) {
            // A whole UTF-8 sequence is copied. A lone surrogate (which a \u
            // escape can make; Python could not encode it and answers 500)
            // and a byte that is not UTF-8 (raw bodies echoed as text) are
            // written as U+FFFD, so that the answer is JSON any parser takes.
            std::vector<char32_t> cps;
            const std::size_t n = c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : c >= 0xC0 ? 2 : 1;
            if (n > 1 && i + n <= s.size() && decode_utf8(s.substr(i, n), cps) && cps.size() == 1) {
                if (cps[0] >= 0xD800 && cps[0] <= 0xDFFF) {
                    out += "\xEF\xBF\xBD";
                } else {
                    out.append(s.substr(i, n));
                }
                i += n;
            } else {
                out += "\xEF\xBF\xBD";
                ++i;
            }
            continue;
        }
        switch (c) {
        case '"': out += "\\\""; break;
        case '\\': out += "\\\\"; break;
        case '\n': out += "\\n"; break;
        case '\r': out += "\\r"; break;
        case '\t': out += "\\t"; break;
        case '\b': out += "\\b"; break;
        case '\f': out += "\\f"; break;
        default:
            if (c < 0x20) {
                out += "\\u00";
                out += hexd[c >> 4];
                out += hexd[c & 15];
            } else {
                out += static_cast<char>(c);
            }
        }
        ++i;
    }
    out += '"';
}

namespace {

void dump(std::string& out, const Value& v) {
    switch (v.kind) {
    case Value::Kind::null: out += "null"; return;
    case Value::Kind::boolean: out += v.boolean ? "true" : "false"; return;
    case Value::Kind::integer: out += v.integer; return;
    case Value::Kind::floating:
        if (std::isfinite(v.floating))
            out += float_repr(v.floating);
        else
            dump_string(out, float_repr(v.floating));
        return;
    case Value::Kind::string: dump_string(out, v.text); return;
    case Value::Kind::array:
        out += '[';
        for (std::size_t i = 0; i < v.items.size(); ++i) {
            if (i) out += ',';
            dump(out, v.items[i]);
        }
        out += ']';
        return;
    case Value::Kind::object:
        out += '{';
        for (std::size_t i = 0; i < v.members.size(); ++i) {
            if (i) out += ',';
            dump_string(out, v.members[i].first);
            out += ':';
            dump(out, v.members[i].second);
        }
        out += '}';
        return;
    }
}

}  // namespace

std::string dumps(const Value& value) {
    std::string out;
    dump(out, value);
    return out;
}

}  // namespace invlog::http::py
