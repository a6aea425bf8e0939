// JSON as the reference service's Python reads and writes it, so that its
// validation errors can be answered byte for byte: json.loads on the body
// (its error messages and character positions, Python's lenient NaN and
// Infinity, big integers, duplicate keys where the last wins), and
// json.dumps(..., ensure_ascii=False, separators=(",", ":")) for the values
// echoed back in errors (floats as Python's repr writes them).
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace invlog::http::py {

struct Member;

struct Value {
    enum class Kind { null, boolean, integer, floating, string, array, object };
    Kind kind = Kind::null;
    bool boolean = false;
    std::string integer;  // decimal digits, '-' first when negative: any size, as Python's int
    double floating = 0;
    std::string text;  // UTF-8 (a lone surrogate of a \u escape is kept, WTF-8)
    std::vector<Value> items;
    std::vector<Member> members;  // in first-seen order; a repeated key keeps the last value

    const Value* member(std::string_view key) const;
};

// A key and its value (a struct rather than std::pair, which cannot hold the
// still incomplete Value).
struct Member {
    std::string first;
    Value second;
};

// A json.JSONDecodeError: its msg and pos (a character index, not a byte).
struct DecodeError {
    std::string msg;
    std::size_t pos = 0;
};

struct Loaded {
    std::optional<Value> value;
    std::optional<DecodeError> error;
    // Neither: the bytes are not UTF-8, or nested too deep; Python raises
    // something other than a JSONDecodeError.
};

// json.loads(bytes).
Loaded loads(std::string_view bytes);

// json.dumps(value, ensure_ascii=False, separators=(",", ":")). NaN and the
// infinities, which the reference could not send at all (it answers 500),
// are written as the strings "NaN", "Infinity" and "-Infinity".
std::string dumps(const Value& value);
void dump_string(std::string& out, std::string_view utf8);

// repr(float) as Python writes it: "5.0", "1e+16", "1.5e-05".
std::string float_repr(double x);

// UTF-8 to code points, surrogates allowed (Python's "surrogatepass");
// false when the bytes are not UTF-8.
bool decode_utf8(std::string_view in, std::vector<char32_t>& out);

}  // namespace invlog::http::py
