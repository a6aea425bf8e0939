// The top-level fields of one flat JSON object, read with nlohmann's SAX
// parser: one pass, no DOM, and it sees what a DOM hides (a repeated key, the
// raw text of 3.0). An apply line and an HTTP command body are both such
// objects; each adapter names its fields and turns the values into a request.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace invlog::batch {

enum class JsonKind { absent, null, integer, too_large, string, other };

struct JsonValue {
    JsonKind kind = JsonKind::absent;
    std::int64_t integer = 0;
    std::string text;  // the string, or how to show a value of another kind

    // Present and not null: null is the same as leaving the field out.
    bool given() const { return kind != JsonKind::absent && kind != JsonKind::null; }
};

// Reads `text`, a JSON object whose keys must be among `names`, into one
// value per name (absent when the object does not have it; a nested object
// or array is `other`). Throws a usage domain::Failure: invalid_json (a NUL
// byte too, which nlohmann's lexer would take for the end of the input),
// not_an_object (its message shows `example`), unknown_field (listing the
// names) or duplicate_field.
std::vector<JsonValue> read_json_fields(std::string_view text, const std::vector<std::string_view>& names,
                                        std::string_view example);

// A field name or string in a message: in double quotes, cut and escaped as
// every echoed value is (domain::shown).
std::string json_quoted(std::string_view s);
// A value in a message: a string quoted, anything else as written.
std::string shown(const JsonValue& v);

}  // namespace invlog::batch
