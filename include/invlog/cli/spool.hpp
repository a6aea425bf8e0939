// Output held back until a transaction commits (apply --atomic): kept in
// memory up to a limit, then in an unlinked temporary file in $TMPDIR (else
// /tmp), so that a batch of millions of lines never holds its results in
// memory.
#pragma once

#include <cstddef>
#include <functional>
#include <string>
#include <string_view>

namespace invlog::cli {

class Spool {
public:
    explicit Spool(std::size_t memory_limit = 8u << 20);
    ~Spool();
    Spool(const Spool&) = delete;
    Spool& operator=(const Spool&) = delete;

    // Throws a storage Failure when the temporary file cannot be written.
    void add(std::string_view text);
    // Hands everything held to `write`, in order, and forgets it.
    void drain(const std::function<void(std::string_view)>& write);

private:
    void spill();
    void write_file(std::string_view text);

    std::size_t m_limit;
    std::string m_memory;
    std::string m_dir;
    int m_fd = -1;
};

}  // namespace invlog::cli
