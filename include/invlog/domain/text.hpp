// Text as invlog checks and shows it: UTF-8 decoding, the characters that
// must never reach a terminal or a log line (controls, bidirectional
// formatting, line separators, byte order marks), and how a value the user
// gave is echoed in a one-line message.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace invlog::domain {

struct CodePoint {
    char32_t value = 0;
    std::size_t length = 0;  // its bytes in the UTF-8 text
};

// The code point that starts at byte `at`, or nullopt when the bytes there
// are not well-formed UTF-8 (overlong forms and surrogates included).
std::optional<CodePoint> decode_utf8(std::string_view text, std::size_t at);

// Why a code point may not appear in free text or raw in a message, as a
// plural noun phrase ("control characters"); nullopt when it may. C0 and C1
// controls and DEL, the Unicode Bidi_Control characters (U+061C, U+200E,
// U+200F, U+202A..U+202E, U+2066..U+2069), U+2028 and U+2029 (they end a line
// for some readers) and U+FEFF (an invisible byte order mark).
std::optional<std::string_view> unsafe_character(char32_t cp);

// How echoed user values are cut in messages.
inline constexpr std::size_t shown_value_bytes = 80;
// Paths are cut much later: a message must still name the file.
inline constexpr std::size_t shown_path_bytes = 4096;

// A user value made safe for a one-line message: bytes that are not UTF-8
// shown as \xNN, control and invisible characters as \xNN (ASCII) or \uNNNN,
// and, past max_bytes of the value, "... (N bytes)". Every message that
// echoes an argument, a field, a name or a path goes through this.
std::string shown(std::string_view text, std::size_t max_bytes = shown_value_bytes);
inline std::string shown_path(std::string_view path) { return shown(path, shown_path_bytes); }

}  // namespace invlog::domain
