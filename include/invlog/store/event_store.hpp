// The SQLite event store: opens and recognises the file, appends events with
// their hash chain, keeps the read model and answers log queries. All SQL of
// invlog lives in store/.
#pragma once

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "invlog/domain/record.hpp"
#include "invlog/store/codec.hpp"
#include "invlog/store/sqlite.hpp"

namespace invlog::store {

enum class OpenMode {
    read,   // the file must exist; nothing is written
    write,  // the file is created when missing and upgraded when older
};

struct OpenOptions {
    std::string path;
    OpenMode mode = OpenMode::read;
    int lock_timeout_ms = 5000;
    bool create_parent = false;  // make the parent directory (the default location)
};

// Which events a query returns. Every bound is optional and inclusive except
// after_seq, which is exclusive.
struct EventFilter {
    std::optional<std::string> sku;
    std::int64_t after_seq = 0;
    std::optional<std::int64_t> max_seq;
    std::optional<std::int64_t> max_version;
    std::optional<domain::Millis> since;
    std::optional<domain::Millis> until;
    std::optional<std::int64_t> limit;
};

struct IdempotencyEntry {
    std::string fingerprint;
    std::string sku;
    std::int64_t version = 0;
    std::string command_id;
};

struct Head {
    std::int64_t seq = 0;  // 0 when the log is empty
    util::Digest hash{};   // zeros when the log is empty
    domain::Millis recorded_at = 0;
};

class EventStore {
public:
    explicit EventStore(const OpenOptions& options);
    ~EventStore();

    Connection& connection() { return *m_conn; }
    const std::string& path() const { return m_conn->path(); }

    // BEGIN IMMEDIATE (write) or BEGIN (a consistent read); rolls back unless
    // committed.
    class Transaction {
    public:
        Transaction(EventStore& store, bool write);
        ~Transaction();
        Transaction(const Transaction&) = delete;
        Transaction& operator=(const Transaction&) = delete;
        void commit();

    private:
        EventStore& m_store;
        bool m_open = true;
    };

    // Write side.
    domain::State load(std::string_view sku);
    std::vector<domain::EventRecord> append(std::string_view sku, const domain::State& before,
                                            const std::vector<domain::Event>& events, const domain::Metadata& meta,
                                            domain::Millis now);
    std::optional<IdempotencyEntry> find_idempotency(std::string_view key);
    void record_idempotency(std::string_view key, const IdempotencyEntry& entry);
    Head head();

    // Read model.
    std::optional<domain::SkuState> read_state(std::string_view sku);
    void for_each_state(const std::function<void(const domain::SkuState&)>& fn);

    // Log queries in seq order (version order when filtered by SKU). The
    // callback returns false to stop early.
    void for_each_raw(const EventFilter& filter, const std::function<bool(const RawEvent&)>& fn);
    void for_each_event(const EventFilter& filter, const std::function<bool(const domain::EventRecord&)>& fn);

private:
    void open_file(const OpenOptions& options);

    std::unique_ptr<Connection> m_conn;
    util::Sha256 m_sha;
};

// Decodes a raw row or throws an integrity Failure naming its seq and SKU.
domain::EventRecord decode_or_throw(const RawEvent& raw);

}  // namespace invlog::store
