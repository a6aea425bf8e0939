// Python's json module, reproduced (see pyjson.hpp). The parser follows the
// C scanner of CPython 3.11 (Modules/_json.c) step by step, on code points,
// so that its error messages and positions are Python's.
#include "invlog/http/pyjson.hpp"

#include <charconv>
#include <cmath>
#include <cstdint>
#include <cstdlib>

namespace invlog::http::py {
namespace {

// Python raises RecursionError well before this; past it the body is refused
// as undecodable, as Python's RecursionError is.
constexpr int max_depth = 500;

// json.loads(bytes) guesses UTF-16 and UTF-32 from BOMs and NUL bytes; such
// bodies are not decoded here (a documented difference).
bool looks_wide(std::string_view b) {
    if (b.starts_with("\xFE\xFF") || b.starts_with("\xFF\xFE")) return true;
    if (b.size() >= 4) return b[0] == 0 || b[1] == 0;
    if (b.size() == 2) return b[0] == 0 || b[1] == 0;
    return false;
}

void append_utf8(std::string& out, char32_t cp) {
    if (cp < 0x80) {
        out += static_cast<char>(cp);
    } else if (cp < 0x800) {
        out += static_cast<char>(0xC0 | (cp >> 6));
        out += static_cast<char>(0x80 | (cp & 0x3F));
    } else if (cp < 0x10000) {
        out += static_cast<char>(0xE0 | (cp >> 12));
        out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
        out += static_cast<char>(0x80 | (cp & 0x3F));
    } else {
        out += static_cast<char>(0xF0 | (cp >> 18));
        out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
        out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
        out += static_cast<char>(0x80 | (cp & 0x3F));
    }
}

struct Fail {
    DecodeError error;
};
struct StopIteration {
    std::size_t pos;
};
struct TooDeep {};  // or any other error Python raises that is not a JSONDecodeError

class Scanner {
public:
    explicit Scanner(const std::vector<char32_t>& s) : m_s(s), m_len(s.size()) {}

    Value scan_once(std::size_t idx, std::size_t& next, int depth) {
        if (idx >= m_len) throw StopIteration{idx};
        switch (m_s[idx]) {
        case '"': {
            Value v;
            v.kind = Value::Kind::string;
            v.text = scanstring(idx + 1, next);
            return v;
        }
        case '{':
            if (depth >= max_depth) throw TooDeep{};
            return parse_object(idx + 1, next, depth + 1);
        case '[':
            if (depth >= max_depth) throw TooDeep{};
            return parse_array(idx + 1, next, depth + 1);
        case 'n':
            if (word(idx, "null")) {
                next = idx + 4;
                return Value{};
            }
            break;
        case 't':
            if (word(idx, "true")) {
                next = idx + 4;
                return boolean(true);
            }
            break;
        case 'f':
            if (word(idx, "false")) {
                next = idx + 5;
                return boolean(false);
            }
            break;
        case 'N':
            if (word(idx, "NaN")) {
                next = idx + 3;
                return floating(std::nan(""));
            }
            break;
        case 'I':
            if (word(idx, "Infinity")) {
                next = idx + 8;
                return floating(INFINITY);
            }
            break;
        case '-':
            if (word(idx, "-Infinity")) {
                next = idx + 9;
                return floating(-INFINITY);
            }
            break;
        default: break;
        }
        return match_number(idx, next);
    }

    bool whitespace(std::size_t i) const {
        const char32_t c = m_s[i];
        return c == ' ' || c == '\t' || c == '\n' || c == '\r';
    }
    std::size_t skip(std::size_t i) const {
        while (i < m_len && whitespace(i)) ++i;
        return i;
    }

private:
    static Value boolean(bool b) {
        Value v;
        v.kind = Value::Kind::boolean;
        v.boolean = b;
        return v;
    }
    static Value floating(double d) {
        Value v;
        v.kind = Value::Kind::floating;
        v.floating = d;
        return v;
    }

    bool word(std::size_t idx, std::string_view w) const {
        if (idx + w.size() > m_len) return false;
        for (std::size_t k = 0; k < w.size(); ++k)
            if (m_s[idx + k] != static_cast<char32_t>(w[k])) return false;
        return true;
    }
    bool digit(std::size_t i) const { return i < m_len && m_s[i] >= '0' && m_s[i] <= '9'; }

    [[noreturn]] void fail(const char* msg, std::size_t pos) const { throw Fail{DecodeError{msg, pos}}; }

    Value match_number(std::size_t start, std::size_t& next) {
        std::size_t idx = start;
        const std::size_t end_idx = m_len - 1;
        if (m_s[idx] == '-') {
            ++idx;
            if (idx > end_idx) throw StopIteration{start};
        }
        if (m_s[idx] >= '1' && m_s[idx] <= '9') {
            ++idx;
            while (idx <= end_idx && digit(idx)) ++idx;
        } else if (m_s[idx] == '0') {
            ++idx;
        } else {
            throw StopIteration{start};
        }
        bool is_float = false;
        if (idx < end_idx && m_s[idx] == '.' && digit(idx + 1)) {
            is_float = true;
            idx += 2;
            while (idx <= end_idx && digit(idx)) ++idx;
        }
        if (idx < end_idx && (m_s[idx] == 'e' || m_s[idx] == 'E')) {
            const std::size_t e_start = idx;
            ++idx;
            if (idx < end_idx && (m_s[idx] == '-' || m_s[idx] == '+')) ++idx;
            while (idx <= end_idx && digit(idx)) ++idx;
            if (digit(idx - 1))
                is_float = true;
            else
                idx = e_start;
        }
        std::string text;
        for (std::size_t k = start; k < idx; ++k) text += static_cast<char>(m_s[k]);
        next = idx;
        if (is_float) return floating(std::strtod(text.c_str(), nullptr));
        // Python 3.11 refuses longer integer strings with a ValueError (not
        // a JSONDecodeError).
        if (idx - start > 4300) throw TooDeep{};
        Value v;
        v.kind = Value::Kind::integer;
        // Python's int() drops leading zeros; JSON allows none but "-0".
        v.integer = text == "-0" ? "0" : text;
        return v;
    }

    static int hex(char32_t d) {
        if (d >= '0' && d <= '9') return static_cast<int>(d - '0');
        if (d >= 'a' && d <= 'f') return static_cast<int>(d - 'a' + 10);
        if (d >= 'A' && d <= 'F') return static_cast<int>(d - 'A' + 10);
        return -1;
    }

    std::string scanstring(std::size_t end, std::size_t& next_end) {
        const std::size_t begin = end - 1;
        std::string out;
        for (;;) {
            char32_t c = 0;
            std::size_t next = end;
            for (; next < m_len; ++next) {
                c = m_s[next];
                if (c == '"' || c == '\\') break;
                if (c <= 0x1f) fail("Invalid control character at", next);
                append_utf8(out, c);
            }
            if (next >= m_len || !(c == '"' || c == '\\')) fail("Unterminated string starting at", begin);
            ++next;
            if (c == '"') {
                end = next;
                break;
            }
            if (next == m_len) fail("Unterminated string starting at", begin);
            c = m_s[next];
            if (c != 'u') {
                end = next + 1;
                switch (c) {
                case '"': break;
                case '\\': break;
                case '/': break;
                case 'b': c = '\b'; break;
                case 'f': c = '\f'; break;
                case 'n': c = '\n'; break;
                case 'r': c = '\r'; break;
                case 't': c = '\t'; break;
                default: c = 0;
                }
                if (c == 0) fail("Invalid \\escape", end - 2);
            } else {
                c = 0;
                ++next;
                end = next + 4;
                if (end >= m_len) fail("Invalid \\uXXXX escape", next - 1);
                for (; next < end; ++next) {
                    const int h = hex(m_s[next]);
                    if (h < 0) fail("Invalid \\uXXXX escape", end - 5);
                    c = (c << 4) | static_cast<char32_t>(h);
                }
                if (c >= 0xD800 && c <= 0xDBFF && end + 6 < m_len && m_s[next++] == '\\' && m_s[next++] == 'u') {
                    char32_t c2 = 0;
                    end += 6;
                    for (; next < end; ++next) {
                        const int h = hex(m_s[next]);
                        if (h < 0) fail("Invalid \\uXXXX escape", end - 5);
                        c2 = (c2 << 4) | static_cast<char32_t>(h);
                    }
                    if (c2 >= 0xDC00 && c2 <= 0xDFFF)
                        c = 0x10000 + (((c - 0xD800) << 10) | (c2 - 0xDC00));
                    else
                        end -= 6;
                }
            }
            append_utf8(out, c);
        }
        next_end = end;
        return out;
    }

    Value parse_object(std::size_t idx, std::size_t& next_out, int depth) {
        Value obj;
        obj.kind = Value::Kind::object;
        idx = skip(idx);
        if (idx >= m_len || m_s[idx] != '}') {
            for (;;) {
                if (idx >= m_len || m_s[idx] != '"') fail("Expecting property name enclosed in double quotes", idx);
                std::size_t next = 0;
                std::string key = scanstring(idx + 1, next);
                idx = skip(next);
                if (idx >= m_len || m_s[idx] != ':') fail("Expecting ':' delimiter", idx);
                idx = skip(idx + 1);
                Value val = scan_once(idx, next, depth);
                bool replaced = false;
                for (auto& [k, v] : obj.members)
                    if (k == key) {
                        v = std::move(val);
                        replaced = true;
                        break;
                    }
                if (!replaced) obj.members.push_back(Member{std::move(key), std::move(val)});
                idx = skip(next);
                if (idx < m_len && m_s[idx] == '}') break;
                if (idx >= m_len || m_s[idx] != ',') fail("Expecting ',' delimiter", idx);
                idx = skip(idx + 1);
            }
        }
        next_out = idx + 1;
        return obj;
    }

    Value parse_array(std::size_t idx, std::size_t& next_out, int depth) {
        Value arr;
        arr.kind = Value::Kind::array;
        idx = skip(idx);
        if (idx >= m_len || m_s[idx] != ']') {
            for (;;) {
                std::size_t next = 0;
                arr.items.push_back(scan_once(idx, next, depth));
                idx = skip(next);
                if (idx < m_len && m_s[idx] == ']') break;
                if (idx >= m_len || m_s[idx] != ',') fail("Expecting ',' delimiter", idx);
                idx = skip(idx + 1);
            }
        }
        next_out = idx + 1;
        return arr;
    }

    const std::vector<char32_t>& m_s;
    std::size_t m_len;
};

}  // namespace

// UTF-8 to code points, surrogates allowed ("surrogatepass"); false when
// the bytes are not UTF-8.
bool decode_utf8(std::string_view in, std::vector<char32_t>& out) {
    std::size_t i = 0;
    while (i < in.size()) {
        const auto c = static_cast<unsigned char>(in[i]);
        int n = 0;
        char32_t cp = 0;
        if (c < 0x80) {
            out.push_back(c);
            ++i;
            continue;
        } else if (c >= 0xC2 && c <= 0xDF) {
            n = 1;
            cp = c & 0x1F;
        } else if (c >= 0xE0 && c <= 0xEF) {
            n = 2;
            cp = c & 0x0F;
        } else if (c >= 0xF0 && c <= 0xF4) {
            n = 3;
            cp = c & 0x07;
        } else {
            return false;
        }
        if (i + static_cast<std::size_t>(n) >= in.size()) return false;
        for (int k = 1; k <= n; ++k) {
            const auto d = static_cast<unsigned char>(in[i + k]);
            if ((d & 0xC0) != 0x80) return false;
            cp = (cp << 6) | (d & 0x3F);
        }
        if ((n == 2 && cp < 0x800) || (n == 3 && (cp < 0x10000 || cp > 0x10FFFF))) return false;
        out.push_back(cp);
        i += n + 1;
    }
    return true;
}

const Value* Value::member(std::string_view key) const {
    for (const auto& [k, v] : members)
        if (k == key) return &v;
    return nullptr;
}

Loaded loads(std::string_view bytes) {
    Loaded result;
    if (looks_wide(bytes)) return result;
    if (bytes.starts_with("\xEF\xBB\xBF")) bytes.remove_prefix(3);  // json.loads(bytes) decodes with utf-8-sig
    std::vector<char32_t> s;
    if (!decode_utf8(bytes, s)) return result;
    Scanner scanner(s);
    try {
        std::size_t end = 0;
        Value v = scanner.scan_once(scanner.skip(0), end, 0);
        end = scanner.skip(end);
        if (end != s.size()) {
            result.error = DecodeError{"Extra data", end};
            return result;
        }
        result.value = std::move(v);
    } catch (const StopIteration& stop) {
        result.error = DecodeError{"Expecting value", stop.pos};
    } catch (const Fail& f) {
        result.error = f.error;
    } catch (const TooDeep&) {
    }
    return result;
}

}  // namespace invlog::http::py
