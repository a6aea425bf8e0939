// Text held back in order: in memory up to a limit, then in an unlinked
// temporary file in $TMPDIR (else /tmp), so that a batch of millions of lines
// never holds them in memory. apply --atomic holds its input in one until it
// is all read, and its results in another until the commit.
#pragma once

#include <cstddef>
#include <functional>
#include <string>
#include <string_view>

#include "invlog/batch/line_reader.hpp"

namespace invlog::batch {

class Spool {
public:
    // what: what is held, for the error message ("the results", "the input").
    explicit Spool(std::size_t memory_limit = 8u << 20, std::string what = "the results");
    ~Spool();
    Spool(const Spool&) = delete;
    Spool& operator=(const Spool&) = delete;

    // Throws a storage Failure when the temporary file cannot be written.
    void add(std::string_view text);
    // Hands everything held to `write`, in order, and forgets it.
    void drain(const std::function<void(std::string_view)>& write);
    // A read function over everything held, from the start, for one pass
    // (a LineReader reads it back). The spool must outlive it, and nothing
    // may be added meanwhile.
    ReadFn reader();
    // Whether the text went to the temporary file (until drained), so that a
    // test knows which path it took.
    bool spilled() const { return m_fd >= 0; }

private:
    void spill();
    // Writes the text gathered in m_memory (after the spill) to the file.
    void flush();
    void write_file(std::string_view text);
    [[noreturn]] void fail() const;

    std::size_t m_limit;
    std::string m_what;
    std::string m_memory;  // everything held, or after the spill what waits to be written
    std::string m_dir;
    int m_fd = -1;
};

}  // namespace invlog::batch
