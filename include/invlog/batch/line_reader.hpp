// Splits batch input into lines without ever holding more than one line (at
// most max_line_bytes) in memory: a longer line is skipped up to its newline
// and reported as too long, so a huge or binary input cannot exhaust memory.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace invlog::batch {

inline constexpr std::size_t max_line_bytes = 1 << 20;  // 1 MiB, without the newline

// Reads up to `size` bytes into `buffer`; returns 0 at the end of the input.
// Throws a domain::Failure on a read error.
using ReadFn = std::function<std::size_t(char* buffer, std::size_t size)>;

struct Line {
    std::int64_t number = 0;  // 1-based, counting every line of the input
    std::string_view text;    // without the newline; empty when too_long
    bool too_long = false;
};

class LineReader {
public:
    explicit LineReader(ReadFn read, std::size_t max_bytes = max_line_bytes);

    // The next line, valid until the next call; nullopt at the end of the
    // input. A last line without a newline is still a line.
    std::optional<Line> next();

private:
    bool refill();

    ReadFn m_read;
    std::size_t m_max;
    std::vector<char> m_buffer;
    std::size_t m_pos = 0;
    std::size_t m_end = 0;
    bool m_eof = false;
    std::string m_line;  // a line that spans buffer refills
    std::int64_t m_number = 0;
};

// A ReadFn over a string, for tests and small inputs.
ReadFn read_string(std::string text);

// A ReadFn over an open file descriptor; `name` is used in error messages.
ReadFn read_fd(int fd, std::string name);

}  // namespace invlog::batch
