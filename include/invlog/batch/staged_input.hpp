// The input of an atomic batch (apply --atomic), read and parsed before the
// write lock is taken: each command line's request, with its line number,
// held in a Spool (memory, then an unlinked temporary file), and read back in
// input order once the lock is held. Memory stays bounded whatever the size
// of the input, and no line is parsed twice.
#pragma once

#include <cstdint>
#include <functional>

#include "invlog/app/service.hpp"
#include "invlog/batch/spool.hpp"

namespace invlog::batch {

class StagedInput {
public:
    explicit StagedInput(std::size_t memory_limit = 8u << 20);

    // Throws a storage Failure when the temporary file cannot be written.
    void add(std::int64_t line, const app::Request& request);
    // Hands every request back in the order added; fn returns false to stop.
    // One pass, after the last add.
    void for_each(const std::function<bool(std::int64_t line, app::Request&& request)>& fn);
    // Whether the requests went to the temporary file.
    bool spilled() const { return m_spool.spilled(); }

private:
    Spool m_spool;
    std::string m_record;  // reused for each add
};

}  // namespace invlog::batch
