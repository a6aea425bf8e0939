// A thin RAII layer over the SQLite C API: statements are prepared with bound
// arguments, stepped through typed rows and finalized automatically. Every
// SQLite failure becomes a domain::Failure of kind storage.
#pragma once

#include <sqlite3.h>

#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>

namespace invlog::store {

class Connection;

class Statement {
public:
    Statement() = default;
    Statement(Connection& conn, sqlite3_stmt* stmt) : m_conn(&conn), m_stmt(stmt) {}
    Statement(Statement&& other) noexcept;
    Statement& operator=(Statement&& other) noexcept;
    ~Statement();

    Statement& bind(int index, std::int64_t value);
    Statement& bind(int index, std::string_view value);
    Statement& bind(int index, const char* value) { return bind(index, std::string_view(value)); }
    Statement& bind(int index, const std::string& value) { return bind(index, std::string_view(value)); }
    Statement& bind(int index, const std::optional<std::string>& value);
    // Binds without copying: the text must stay unchanged until the statement
    // has been stepped (for hot loops that bind and step at once).
    Statement& bind_static(int index, std::string_view value);
    Statement& bind(int index, std::nullptr_t);
    Statement& bind_blob(int index, std::span<const std::uint8_t> value);

    // Steps once: true when a row is available, false when done.
    bool step();
    // Steps a statement that returns no row.
    void run();
    void reset();

    bool is_null(int col) const;
    std::int64_t int64(int col) const;
    std::string_view text(int col) const;
    std::optional<std::string> optional_text(int col) const;
    std::span<const std::uint8_t> blob(int col) const;

    sqlite3_stmt* handle() const { return m_stmt; }

private:
    Connection* m_conn = nullptr;
    sqlite3_stmt* m_stmt = nullptr;
};

class ImmutableRead;

class Connection {
public:
    // Opens (and with create, makes) the file. Errors name the path.
    Connection(const std::string& path, bool create, bool read_only = false);
    // Opens the file for reading only, creating no file: immutable when the
    // file holds everything, else through SQLite's shared memory (see
    // read_access.hpp); never immutable with allow_immutable false.
    static std::unique_ptr<Connection> open_for_reading(const std::string& path, int lock_timeout_ms,
                                                        bool allow_immutable = true);
    // A second read-only connection to the same file, opened the way this
    // one was read (sharing its immutable read, when it makes one): a reader
    // for another thread.
    std::unique_ptr<Connection> open_again() const;
    // Creates `file` (a temporary file) for writing, named `shown_as` (the
    // file it will become) in every message.
    static std::unique_ptr<Connection> create_as(const std::string& file, const std::string& shown_as);
    ~Connection();
    Connection(const Connection&) = delete;
    Connection& operator=(const Connection&) = delete;

    void exec(const char* sql);
    Statement prepare(std::string_view sql);
    // A statement prepared once per connection, reset and unbound on each call.
    Statement& cached(const char* sql);

    std::int64_t pragma_int(const char* pragma);

    // Waits up to `ms` for another connection's lock, polling every few
    // milliseconds: SQLite's own busy timeout backs off to 100 ms sleeps,
    // which under contention makes waiters miss the lock and time out.
    void set_busy_timeout(int ms);
    const std::string& path() const { return m_path; }
    sqlite3* handle() const { return m_db; }

    // The immutable read this connection makes, if it makes one; its check()
    // tells whether the file stayed the same.
    const std::shared_ptr<const ImmutableRead>& immutable_read() const { return m_immutable; }
    // Throws a storage Failure when an immutable read saw the file change.
    void check_unchanged() const;

    // Throws the storage Failure for an SQLite result code, naming the path.
    [[noreturn]] void fail(int rc, std::string_view doing) const;

private:
    // Opens `file` (a URI with SQLITE_OPEN_URI), named `path` in messages.
    Connection(const std::string& path, const std::string& file, int flags);

    std::string m_path;
    sqlite3* m_db = nullptr;
    std::shared_ptr<const ImmutableRead> m_immutable;
    std::unordered_map<const char*, Statement> m_cache;
    int m_busy_timeout_ms = 0;
    std::int64_t m_busy_deadline_us = 0;
    std::uint32_t m_busy_seed = 0;

    static int on_busy(void* self, int count);
};

}  // namespace invlog::store
