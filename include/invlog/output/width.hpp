// Display width of text on a terminal, so that text tables line up when cells
// hold accents, wide (CJK) characters or emoji.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace invlog::output {

// The columns a terminal gives `text`: wcwidth(3) of each code point under
// the C.UTF-8 locale (whatever the user's locale is), so combining marks take
// 0, East Asian wide characters and emoji 2. A byte that is not well-formed
// UTF-8 counts 1, as does a code point wcwidth calls unprintable (table cells
// go through terminal_safe first, so neither reaches a terminal raw). Plain
// ASCII is its length in bytes.
std::size_t display_width(std::string_view text);

// `text` unchanged when it is well-formed UTF-8 free of control and invisible
// characters (every value invlog accepts), otherwise as domain::shown writes
// it (\xNN, \uNNNN), never cut: a tampered file cannot move the cursor.
std::string terminal_safe(std::string_view text);

}  // namespace invlog::output
