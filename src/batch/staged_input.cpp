// The held requests of an atomic batch. Each is written as a record of
// native integers and length-prefixed strings: the file lives only as long as
// the process that wrote it, and strings may hold any byte.
#include "invlog/batch/staged_input.hpp"

#include <cstring>
#include <optional>
#include <string_view>
#include <tuple>
#include <variant>
#include <vector>

#include "invlog/domain/error.hpp"

namespace invlog::batch {
namespace {

// The quantities of each command, for writing and reading alike. A command
// missing here fails to compile.
auto fields(domain::Create& c) { return std::tie(c.soh, c.available); }
auto fields(domain::SetSoh& c) { return std::tie(c.soh, c.available); }
auto fields(domain::SetAvailable& c) { return std::tie(c.available); }
auto fields(domain::Reserve& c) { return std::tie(c.qty); }
auto fields(domain::Complete& c) { return std::tie(c.qty); }
auto fields(domain::Release& c) { return std::tie(c.qty); }
auto fields(domain::Receive& c) { return std::tie(c.qty); }
auto fields(domain::Adjust& c) { return std::tie(c.delta); }

class Writer {
public:
    explicit Writer(std::string& out) : m_out(out) {}
    void put(std::int64_t v) { m_out.append(reinterpret_cast<const char*>(&v), sizeof v); }
    void put(std::string_view s) {
        put(static_cast<std::int64_t>(s.size()));
        m_out.append(s);
    }
    template <class T>
    void put(const std::optional<T>& v) {
        put(std::int64_t{v.has_value()});
        if (v) put(*v);
    }

private:
    std::string& m_out;
};

class Reader {
public:
    explicit Reader(ReadFn read) : m_read(std::move(read)), m_buffer(64 * 1024) {}

    // False at the end of the held input, before a record.
    bool more() { return m_pos < m_end || refill(); }

    void get(std::int64_t& v) { take(reinterpret_cast<char*>(&v), sizeof v); }
    void get(std::string& s) {
        std::int64_t size = 0;
        get(size);
        s.resize(static_cast<std::size_t>(size));
        take(s.data(), s.size());
    }
    template <class T>
    void get(std::optional<T>& v) {
        std::int64_t present = 0;
        get(present);
        if (!present) return;  // v arrives empty
        T value{};
        get(value);
        v = std::move(value);
    }

private:
    bool refill() {
        m_pos = 0;
        m_end = m_read(m_buffer.data(), m_buffer.size());
        return m_end > 0;
    }
    void take(char* out, std::size_t n) {
        while (n > 0) {
            if (m_pos == m_end && !refill())
                throw domain::storage_error("spool_error", "the held input of the batch ends inside a record");
            const std::size_t k = std::min(n, m_end - m_pos);
            std::memcpy(out, m_buffer.data() + m_pos, k);
            m_pos += k;
            out += k;
            n -= k;
        }
    }

    ReadFn m_read;
    std::vector<char> m_buffer;
    std::size_t m_pos = 0;
    std::size_t m_end = 0;
};

template <std::size_t I = 0>
domain::Command read_command(std::int64_t index, Reader& in) {
    if constexpr (I < std::variant_size_v<domain::Command>) {
        if (index != static_cast<std::int64_t>(I)) return read_command<I + 1>(index, in);
        std::variant_alternative_t<I, domain::Command> command;
        std::apply([&](auto&... f) { (in.get(f), ...); }, fields(command));
        return command;
    } else {
        throw domain::storage_error("spool_error", "the held input of the batch names an unknown command");
    }
}

}  // namespace

StagedInput::StagedInput(std::size_t memory_limit) : m_spool(memory_limit, "the input") {}

void StagedInput::add(std::int64_t line, const app::Request& r) {
    m_record.clear();
    Writer out(m_record);
    out.put(line);
    out.put(static_cast<std::int64_t>(r.command.index()));
    std::visit([&](auto command) { std::apply([&](auto&... f) { (out.put(f), ...); }, fields(command)); }, r.command);
    out.put(r.sku);
    out.put(r.actor);
    out.put(r.reason);
    out.put(r.expected_version);
    out.put(r.idempotency_key);
    m_spool.add(m_record);
}

void StagedInput::for_each(const std::function<bool(std::int64_t, app::Request&&)>& fn) {
    Reader in(m_spool.reader());
    while (in.more()) {
        std::int64_t line = 0, index = 0;
        in.get(line);
        in.get(index);
        app::Request r;
        r.command = read_command(index, in);
        in.get(r.sku);
        in.get(r.actor);
        in.get(r.reason);
        in.get(r.expected_version);
        in.get(r.idempotency_key);
        if (!fn(line, std::move(r))) return;
    }
}

}  // namespace invlog::batch
