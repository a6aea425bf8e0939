// Bounded line splitting over a read function.
#include "invlog/batch/line_reader.hpp"

#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <memory>

#include <fmt/format.h>

#include "invlog/domain/error.hpp"

namespace invlog::batch {
namespace {

constexpr std::size_t chunk_size = 64 * 1024;

}  // namespace

LineReader::LineReader(ReadFn read, std::size_t max_bytes)
    : m_read(std::move(read)), m_max(max_bytes), m_buffer(chunk_size) {}

bool LineReader::refill() {
    if (m_eof) return false;
    m_pos = 0;
    m_end = m_read(m_buffer.data(), m_buffer.size());
    if (m_end == 0) m_eof = true;
    return m_end > 0;
}

std::optional<Line> LineReader::next() {
    m_line.clear();
    bool too_long = false;
    bool any = false;  // something of this line was read, even if only its newline
    for (;;) {
        if (m_pos == m_end && !refill()) break;
        const char* start = m_buffer.data() + m_pos;
        const std::size_t avail = m_end - m_pos;
        const auto* newline = static_cast<const char*>(std::memchr(start, '\n', avail));
        const std::size_t length = newline ? static_cast<std::size_t>(newline - start) : avail;
        any = true;
        m_pos += newline ? length + 1 : length;
        if (!too_long && m_line.size() + length > m_max) {
            too_long = true;
            m_line.clear();
        }
        if (newline && m_line.empty() && !too_long) {
            // The common case: the whole line is in the buffer; no copy.
            return Line{++m_number, std::string_view(start, length), false};
        }
        if (!too_long) m_line.append(start, length);
        if (newline) break;
    }
    if (!any) return std::nullopt;
    return Line{++m_number, too_long ? std::string_view() : std::string_view(m_line), too_long};
}

ReadFn read_string(std::string text) {
    auto data = std::make_shared<std::string>(std::move(text));
    auto pos = std::make_shared<std::size_t>(0);
    return [data, pos](char* buffer, std::size_t size) {
        std::size_t n = std::min(size, data->size() - *pos);
        std::memcpy(buffer, data->data() + *pos, n);
        *pos += n;
        return n;
    };
}

ReadFn read_fd(int fd, std::string name) {
    return [fd, name = std::move(name)](char* buffer, std::size_t size) -> std::size_t {
        for (;;) {
            ssize_t n = ::read(fd, buffer, size);
            if (n >= 0) return static_cast<std::size_t>(n);
            if (errno == EINTR) continue;
            throw domain::Failure(domain::ErrorKind::usage, "cannot_read",
                                  fmt::format("cannot read {}: {}", name, std::strerror(errno)));
        }
    };
}

}  // namespace invlog::batch
