// The SQLite event store: opens and recognises the file, appends events with
// their hash chain, keeps the read model and answers log queries. All SQL of
// invlog lives in store/.
#pragma once

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "invlog/domain/record.hpp"
#include "invlog/store/codec.hpp"
#include "invlog/store/sqlite.hpp"

namespace invlog::store {

enum class OpenMode {
    read,   // the file must exist; nothing is written
    write,  // the file is created when missing and upgraded when older
};

struct Migration;

struct OpenOptions {
    std::string path;
    OpenMode mode = OpenMode::read;
    int lock_timeout_ms = 5000;
    bool create_parent = false;  // make the parent directory (the default location)
    // The upgrade steps to schema_version: migrations() unless a test gives
    // synthetic ones.
    const std::vector<Migration>* migrations = nullptr;
    // A read beside a writer of this process that keeps the file open (the
    // readers of `invlog serve`): never SQLite's immutable mode, which would
    // go on showing the file as it was when opened while that writer appends
    // to the -wal (read_access.hpp).
    bool beside_writer = false;
};

enum class Order {
    seq,          // the global order
    sku_version,  // SKU by SKU, each in version order
};

// Which events a query returns. Every bound is optional and inclusive except
// after_seq and after_version, which are exclusive.
struct EventFilter {
    std::optional<std::string> sku;
    std::int64_t after_seq = 0;
    std::int64_t after_version = 0;
    std::optional<std::int64_t> max_seq;
    std::optional<std::int64_t> max_version;
    std::optional<domain::Millis> since;
    std::optional<domain::Millis> until;
    std::optional<std::int64_t> limit;
    Order order = Order::seq;  // a single SKU's events are always in version order
};

// A point in the log's past. Every bound is optional and inclusive; with
// none, the point is now. recorded_at never decreases along seq, so each
// bound names a prefix of the log.
struct Point {
    std::optional<std::int64_t> max_version;
    std::optional<std::int64_t> max_seq;
    std::optional<domain::Millis> until;
};

// A SKU's state saved right after one of its versions (state.version), with
// the seq and recorded_at of that version's event, and its hash: the hash of
// that event sealed with the snapshot's contents (snapshot_hash, codec.hpp).
// Derived data: see schema.hpp.
struct Snapshot {
    std::string sku;
    domain::State state;
    std::int64_t seq = 0;
    domain::Millis recorded_at = 0;
    util::Digest hash{};
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
    std::string event_id;  // empty when the log is empty
};

class EventStore {
public:
    explicit EventStore(const OpenOptions& options);
    ~EventStore();

    Connection& connection() { return *m_conn; }
    const std::string& path() const { return m_conn->path(); }

    // Where the store reports what the caller should tell the operator
    // without failing (a snapshot it does not trust): a stable code and a
    // message. The store never prints.
    using WarningHandler = std::function<void(std::string_view code, const std::string& message)>;
    void on_warning(WarningHandler handler) { m_warn = std::move(handler); }

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
        bool m_write;
        bool m_open = true;
    };

    // A savepoint inside a write transaction: unless released, it rolls back
    // both the database and what the transaction remembers (its head and the
    // states it appended), so that one refused request of a group commit
    // undoes only itself. Savepoints nest.
    class Savepoint {
    public:
        explicit Savepoint(EventStore& store);
        ~Savepoint();
        Savepoint(const Savepoint&) = delete;
        Savepoint& operator=(const Savepoint&) = delete;
        void release();

    private:
        EventStore& m_store;
        std::optional<Head> m_head;
        std::size_t m_mark;
        bool m_open = true;
    };

    // Whether opening created the schema in an empty file, and how many
    // upgrade steps it applied.
    bool created() const { return m_created; }
    int upgraded() const { return m_upgraded; }
    // The file's format version (schema.hpp): schema_version, or lower for a
    // file of an older invlog opened for reading, which stays as it is.
    std::int64_t format() const { return m_format; }

    // Write side. load() is replay() to now, or the state this write
    // transaction already appended for the SKU: it starts from the SKU's latest
    // snapshot, so its cost does not grow with the SKU's history. append()
    // saves a snapshot whenever a version is a multiple of snapshot_every().
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
    void write_state(const domain::SkuState& s);

    // Snapshots (snapshots.cpp).
    std::int64_t snapshot_every();
    // The latest snapshot of the SKU at or before the point, if it can be
    // trusted: its hash must match the hash of the event at its version (and
    // its seq and recorded_at that event's) sealed with its contents. One
    // that does not is never used: the answer is replayed from the SKU's
    // first event, and the warning handler is told (once per store). A file
    // of format 1 has no snapshot hashes; its snapshots are not used.
    std::optional<Snapshot> nearest_snapshot(std::string_view sku, const Point& at);
    // Saves the snapshot with its hash, made from the hash of the event at its
    // version (snapshot.hash is not read).
    void save_snapshot(const Snapshot& snapshot, const util::Digest& event_hash);
    // The SKU's state at the point: the nearest snapshot, then the events
    // after it. Version 0 when the SKU had no event by then.
    domain::SkuState replay(std::string_view sku, const Point& at);
    // Deletes the read model and every snapshot (rebuild, in its transaction).
    void clear_derived();

    // Every SKU that has events, in SKU order; costs one index lookup per
    // SKU, not a read of every event.
    void for_each_sku(const std::function<void(const std::string&)>& fn);

    // Log queries in seq order (version order when filtered by SKU). The
    // callback returns false to stop early.
    void for_each_raw(const EventFilter& filter, const std::function<bool(const RawEvent&)>& fn);
    void for_each_event(const EventFilter& filter, const std::function<bool(const domain::EventRecord&)>& fn);

private:
    void open_file(const OpenOptions& options);
    void flush_read_model();
    Statement prepare_filter(const EventFilter& filter);

    // What a write transaction knows without asking SQLite again: the head
    // after its own appends, the snapshot interval, and the read-model rows
    // it changed, written once per SKU just before COMMIT (a batch touching
    // a SKU many times writes its row once), and which load() answers from.
    static constexpr std::size_t max_dirty_skus = 100'000;
    struct WriteCache {
        bool active = false;
        std::optional<Head> head;
        std::optional<std::int64_t> snapshot_every;
        std::unordered_map<std::string, domain::SkuState> dirty;
        // While savepoints are open: the earlier value of each dirty entry
        // changed since the outermost one, to put back on rollback.
        int savepoints = 0;
        std::vector<std::pair<std::string, std::optional<domain::SkuState>>> undo;
    };
    WriteCache m_tx;
    void remember(domain::SkuState row);

    void warn_once(std::string_view code, const std::string& message);

    std::unique_ptr<Connection> m_conn;
    util::Sha256 m_sha;
    WarningHandler m_warn;
    std::vector<std::string> m_warned;  // codes already reported
    bool m_created = false;
    int m_upgraded = 0;
    std::int64_t m_format = 0;
};

// Decodes a raw row or throws an integrity Failure naming its seq and SKU.
domain::EventRecord decode_or_throw(RawEvent&& raw);

}  // namespace invlog::store
