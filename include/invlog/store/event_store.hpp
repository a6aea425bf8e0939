// The store interface: everything the application layer asks of an invlog
// store, whatever holds it. The SQLite implementation is SqliteStore
// (sqlite_store.hpp); open_store() picks the implementation from the
// location. Operations on a file as a file (backup, SQLite's own checks,
// migrations) are not here: they need a SqliteStore.
#pragma once

#include <cstdint>
#include <functional>
#include <future>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "invlog/domain/record.hpp"
#include "invlog/store/audit.hpp"
#include "invlog/store/codec.hpp"
#include "invlog/store/export_positions.hpp"
#include "invlog/store/settings.hpp"
#include "invlog/store/types.hpp"

namespace invlog::store {

class EventStore {
public:
    virtual ~EventStore();
    EventStore(const EventStore&) = delete;
    EventStore& operator=(const EventStore&) = delete;

    // Where the store is, as messages name it (a file's path).
    virtual const std::string& path() const = 0;

    // Whether opening created the store, and how many upgrade steps it
    // applied.
    virtual bool created() const = 0;
    virtual int upgraded() const = 0;
    // The store's format version (schema.hpp): schema_version, or lower for a
    // file of an older invlog opened for reading, which stays as it is.
    virtual std::int64_t format() const = 0;

    // Where the store reports what the caller should tell the operator
    // without failing (a snapshot it does not trust): a stable code and a
    // message. The store never prints.
    using WarningHandler = std::function<void(std::string_view code, const std::string& message)>;
    void on_warning(WarningHandler handler) { m_warn = std::move(handler); }

    // A check that what this store read still stands (a file read without
    // locks that must not have changed meanwhile): it throws a storage
    // Failure when not. Empty when the store needs none.
    using ReadCheck = std::function<void()>;
    virtual ReadCheck read_check() const { return {}; }
    void check_unchanged() const {
        if (auto check = read_check()) check();
    }

    // A write transaction (every write of a command, or of a group of
    // commands, commits together) or a consistent read; rolls back unless
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
    // both the stored data and what the transaction remembers (its head and
    // the states it appended), so that one refused request of a group commit
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
        bool m_open = true;
    };

    // Write side. load() is replay() to now, or the state this write
    // transaction already appended for the SKU: it starts from the SKU's latest
    // snapshot, so its cost does not grow with the SKU's history. append()
    // chains each event's hash to the previous one and saves a snapshot
    // whenever a version is a multiple of snapshot_every().
    virtual domain::State load(std::string_view sku) = 0;
    virtual std::vector<domain::EventRecord> append(std::string_view sku, const domain::State& before,
                                                    const std::vector<domain::Event>& events,
                                                    const domain::Metadata& meta, domain::Millis now) = 0;
    virtual std::optional<IdempotencyEntry> find_idempotency(std::string_view key) = 0;
    virtual void record_idempotency(std::string_view key, const IdempotencyEntry& entry) = 0;
    virtual Head head() = 0;
    // Copy (invlog copy): appends one event exactly as another store recorded
    // it (its seq, event id, time, metadata and hash), inside the caller's write
    // transaction. Refused (integrity Failure) unless it continues this store's
    // log: seq is head().seq + 1, its version is the SKU's next one, and its
    // hash is the chain hash of its canonical bytes after the head's hash.
    // Derived data (read model, snapshots) is not touched: copy rebuilds it.
    virtual void import_event(const RawEvent& event) = 0;

    // Read model.
    virtual std::optional<domain::SkuState> read_state(std::string_view sku) = 0;
    // The rows a range selects (types.hpp), in SKU order; every row with none.
    virtual void for_each_state(const StateRange& range, const std::function<void(const domain::SkuState&)>& fn) = 0;
    void for_each_state(const std::function<void(const domain::SkuState&)>& fn) { for_each_state(StateRange{}, fn); }
    virtual void write_state(const domain::SkuState& s) = 0;

    // Snapshots.
    std::int64_t snapshot_every() { return int_setting(*find_setting(snapshot_every_key)); }
    // The latest snapshot of the SKU at or before the point, if it can be
    // trusted: its hash must match the hash of the event at its version (and
    // its seq and recorded_at that event's) sealed with its contents. One
    // that does not is never used: the answer is replayed from the SKU's
    // first event, and the warning handler is told (once per store). A store
    // of format 1 has no snapshot hashes; its snapshots are not used.
    virtual std::optional<Snapshot> nearest_snapshot(std::string_view sku, const Point& at) = 0;
    // Saves the snapshot with its hash, made from the hash of the event at its
    // version (snapshot.hash is not read).
    virtual void save_snapshot(const Snapshot& snapshot, const util::Digest& event_hash) = 0;
    // The SKU's state at the point: the nearest snapshot, then the events
    // after it. Version 0 when the SKU had no event by then.
    virtual domain::SkuState replay(std::string_view sku, const Point& at) = 0;
    // Every SKU that had events by the point, in SKU order, at that point
    // (what replay gives each of them). The default replays SKU by SKU; a
    // store may answer in one ordered pass instead.
    virtual void for_each_state_at(const Point& at, const std::function<void(const domain::SkuState&)>& fn);
    // Deletes the read model and every snapshot (rebuild, in its transaction).
    virtual void clear_derived() = 0;

    // Every SKU that has events, in SKU order; costs one index lookup per
    // SKU, not a read of every event.
    virtual void for_each_sku(const std::function<void(const std::string&)>& fn) = 0;

    // Log queries in seq order (version order when filtered by SKU). The
    // callback returns false to stop early.
    virtual void for_each_raw(const EventFilter& filter, const std::function<bool(const RawEvent&)>& fn) = 0;
    virtual void for_each_event(const EventFilter& filter,
                                const std::function<bool(const domain::EventRecord&)>& fn) = 0;
    // The number of events a filter selects (limit ignored; the bounds the
    // exporter uses: after_seq, sku, max_seq).
    virtual std::int64_t count_events(const EventFilter& filter) = 0;

    // Where the commands of the log end. The events of one command share a
    // command_id and are contiguous in seq, and so in their SKU's versions (a
    // reservation is STOCK_RESERVED then AVAILABLE_QUANTITY_DECREASED): a
    // position between two of them names a state that no reader ever saw.
    // last_complete_seq is `seq` itself when no command spans it (its event
    // ends a command, or the log has no later event), else the seq just
    // before the first event of the command it falls in (0 when that command
    // opens the log); last_complete_version is the same among one SKU's
    // versions (a version the SKU does not have is returned as it is).
    virtual std::int64_t last_complete_seq(std::int64_t seq) = 0;
    virtual std::int64_t last_complete_version(std::string_view sku, std::int64_t version) = 0;

    // Settings (settings.hpp): the stored text, or nullopt when not set.
    virtual std::optional<std::string> read_setting(std::string_view key) = 0;
    virtual void write_setting(std::string_view key, std::string_view value) = 0;
    // Returns whether the setting was set.
    virtual bool delete_setting(std::string_view key) = 0;
    // Every stored setting, known or not, in key order.
    virtual void for_each_setting(const std::function<void(std::string_view key, std::string_view value)>& fn) = 0;
    // The value in force: the stored one, else the default. A stored value
    // that is not a whole number within the range is an integrity failure.
    std::int64_t int_setting(const SettingSpec& spec);

    // Export positions (export_positions.hpp). write_ and forget_ run in
    // their own write transaction. A position never moves back: a re-run, a
    // --from-start or a second exporter that acknowledges an earlier seq
    // leaves a later one in place, with its hash and mode.
    virtual std::optional<ExportPosition> read_export_position(std::string_view destination) = 0;
    // Every stored position, by destination.
    virtual std::vector<ExportPosition> list_export_positions() = 0;
    virtual void write_export_position(std::string_view destination, std::int64_t last_seq, domain::Millis now,
                                       const std::optional<util::Digest>& last_hash = std::nullopt,
                                       const std::optional<std::string>& compat = std::nullopt) = 0;
    virtual void forget_export_position(std::string_view destination) = 0;

    // The reads of verify and stats (audit.hpp), run inside the caller's read
    // transaction so that all of them see the same moment.
    // Every event in seq order, streamed, with its snapshot and key entry.
    virtual void for_each_audit_row(const std::function<void(const AuditRow&)>& fn) = 0;
    virtual void for_each_key_target(const std::function<void(const KeyTarget&)>& fn) = 0;
    // Snapshots whose (sku, version) names no event.
    virtual void for_each_orphan_snapshot(const std::function<void(const Snapshot&)>& fn) = 0;
    // Stored values of the wrong type outside the events.
    virtual void for_each_wrong_type_row(const std::function<void(const WrongTypeRow&)>& fn) = 0;
    // The first seq appended under a format version, when the store records it.
    virtual std::optional<std::int64_t> first_seq_of_format(std::int64_t version) = 0;
    virtual AheadOfLog derived_ahead_of_log() = 0;
    // Deletes the idempotency entries that name a version past the last event
    // of their SKU; returns how many.
    virtual std::int64_t delete_keys_ahead_of_log() = 0;
    // What the engine's own check of the stored structure finds; empty when
    // it is sound.
    virtual std::vector<std::string> quick_check() = 0;
    // quick_check() begun inside the caller's read transaction, so that it
    // can run beside the caller's other reads: the SQLite store runs it on a
    // second reader of the same moment, on a thread of its own. get() waits
    // for its findings (or rethrows its failure). By default it runs here.
    virtual std::future<std::vector<std::string>> start_quick_check() {
        std::promise<std::vector<std::string>> done;
        try {
            done.set_value(quick_check());
        } catch (...) {
            done.set_exception(std::current_exception());
        }
        return done.get_future();
    }
    // Every event again, SKU by SKU, each SKU's events in version order, with
    // the snapshot and key entry of for_each_audit_row, merged with the read
    // model in SKU order: a read-model row comes after the events of its SKU
    // and before those of the next SKU with events. SKUs are ordered as
    // memcmp orders their text. Returns false, calling nothing, when the
    // store has no such order to offer (verify then keeps every SKU's state
    // in memory during the seq-order pass). Streams: memory does not grow
    // with SKUs or events.
    virtual bool for_each_audit_row_by_sku(const std::function<void(const AuditRow&)>& on_event,
                                           const std::function<void(const domain::SkuState&)>& on_state) {
        (void)on_event;
        (void)on_state;
        return false;
    }
    virtual bool has_audit_rows_by_sku() const { return false; }
    virtual Counts counts() = 0;

protected:
    EventStore() = default;

    // What Transaction and Savepoint do. end_transaction runs on every
    // Transaction's end (after a commit too) and must not throw; a savepoint
    // that is not released is rolled back, and savepoints end in the reverse
    // order of their start.
    virtual void begin_transaction(bool write) = 0;
    virtual void commit_transaction(bool write) = 0;
    virtual void end_transaction(bool write, bool committed) noexcept = 0;
    virtual void begin_savepoint() = 0;
    virtual void release_savepoint() = 0;
    virtual void rollback_savepoint() noexcept = 0;

    // Tells the warning handler, once per code and store.
    void warn_once(std::string_view code, const std::string& message);
    // Before an append of `count` events: positions past INT64_MAX exist
    // only in a tampered store, and counting past them would overflow. An
    // integrity Failure (impossible_state) when the head's seq or the SKU's
    // version has no room left.
    void check_room(const Head& head, std::string_view sku, const domain::State& before, std::size_t count) const;

private:
    WarningHandler m_warn;
    std::vector<std::string> m_warned;  // codes already reported
};

// Decodes a raw row or throws an integrity Failure naming its seq and SKU.
domain::EventRecord decode_or_throw(RawEvent&& raw);
// Only the event of a raw row, with the same Failure.
domain::Event decode_event_or_throw(const RawEvent& raw);

// The first string after every string that starts with `prefix`, for a
// range of SKUs (StateRange::prefix): the prefix with its last byte below
// 0xff raised by one and the bytes after it dropped; nullopt when there is
// no such string (an empty prefix, or all of it 0xff).
std::optional<std::string> prefix_successor(std::string_view prefix);

// Whether a location names a MongoDB deployment (mongodb:// or
// mongodb+srv://) rather than a file.
bool is_mongodb_uri(std::string_view location);

// Opens the store a location names: a file (SqliteStore), or a MongoDB URI
// (MongoStore, in the module invlog-mongo.so: a storage Failure when the
// module is not installed).
std::unique_ptr<EventStore> open_store(const OpenOptions& options);

}  // namespace invlog::store
