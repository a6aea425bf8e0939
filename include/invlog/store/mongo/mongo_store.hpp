// The MongoDB implementation of the store interface (event_store.hpp), built
// into the dlopen'ed module invlog-mongo.so with the rest of the code that
// uses libmongoc: open_store() reaches it through the module's entry
// invlog_mongo_open_store. All BSON of the store lives behind this class.
//
// Collections of the database: events (one document per event, the shape
// `export mongo` writes, plus idempotency_key), inventory (the read model),
// snapshots, idempotency (_id = key), meta (the head, the format version and
// the settings) and export_positions.
//
// A write transaction is buffered in memory and committed as one MongoDB
// multi-document transaction (writeConcern majority with journal): the head
// document is changed by compare-and-set on the seq read when the
// transaction began, and the events go in under the unique indexes
// {seq:1} and {sku:1,version:1}, so that of two writers that decided from
// the same head exactly one commits; the other gets a storage Failure with
// the code write_conflict, which app::execute retries by deciding again.
// Savepoints copy the buffer.
//
// Writers also take turns: a write transaction begins by taking the store's
// writer lease (the document "writer" of the collection lease: a random
// holder id and an expiry, set by one update outside any transaction) and
// gives it back when it ends. Only the lease's holder reads, decides and
// commits, so that commits never overlap. That is what keeps a server that
// merges part of a commit it refuses (jongodb) from being left with a
// losing writer's read model, snapshot or key; on MongoDB, which aborts a
// losing transaction whole, it turns contention into waiting instead of
// retries. The compare-and-set and the unique indexes stay what makes a
// commit safe when a lease runs out under a writer that is still going (a
// paused or killed process): a lease that has expired is taken over, so a
// killed writer holds the others up for at most lease_ms.
//
// A read transaction (verify, list --as-of, stats, diff, the source of a
// copy) is a MongoDB read-only transaction with readConcern "snapshot": all
// its reads see one moment, whatever commits meanwhile.
#pragma once

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "invlog/store/event_store.hpp"

namespace invlog::store::mongo {

class Database;  // the driver's client and collections (mongo_db.hpp)

class MongoStore final : public EventStore {
public:
    explicit MongoStore(const OpenOptions& options);
    ~MongoStore() override;

    // How long the writer lease lasts without being extended.
    static constexpr std::int64_t lease_ms = 3'000;

    const std::string& path() const override { return m_shown; }
    bool created() const override { return m_created; }
    int upgraded() const override { return 0; }
    std::int64_t format() const override { return m_format; }

    domain::State load(std::string_view sku) override;
    std::vector<domain::EventRecord> append(std::string_view sku, const domain::State& before,
                                            const std::vector<domain::Event>& events, const domain::Metadata& meta,
                                            domain::Millis now) override;
    std::optional<IdempotencyEntry> find_idempotency(std::string_view key) override;
    void record_idempotency(std::string_view key, const IdempotencyEntry& entry) override;
    Head head() override;
    void import_event(const RawEvent& event) override;

    std::optional<domain::SkuState> read_state(std::string_view sku) override;
    using EventStore::for_each_state;
    void for_each_state(const StateRange& range, const std::function<void(const domain::SkuState&)>& fn) override;
    void write_state(const domain::SkuState& s) override;

    std::optional<Snapshot> nearest_snapshot(std::string_view sku, const Point& at) override;
    void save_snapshot(const Snapshot& snapshot, const util::Digest& event_hash) override;
    domain::SkuState replay(std::string_view sku, const Point& at) override;
    void clear_derived() override;

    void for_each_sku(const std::function<void(const std::string&)>& fn) override;
    void for_each_raw(const EventFilter& filter, const std::function<bool(const RawEvent&)>& fn) override;
    void for_each_event(const EventFilter& filter, const std::function<bool(const domain::EventRecord&)>& fn) override;
    std::int64_t count_events(const EventFilter& filter) override;

    std::int64_t last_complete_seq(std::int64_t seq) override;
    std::int64_t last_complete_version(std::string_view sku, std::int64_t version) override;

    std::optional<std::string> read_setting(std::string_view key) override;
    void write_setting(std::string_view key, std::string_view value) override;
    bool delete_setting(std::string_view key) override;
    void for_each_setting(const std::function<void(std::string_view key, std::string_view value)>& fn) override;

    std::optional<ExportPosition> read_export_position(std::string_view destination) override;
    std::vector<ExportPosition> list_export_positions() override;
    void write_export_position(std::string_view destination, std::int64_t last_seq, domain::Millis now,
                               const std::optional<util::Digest>& last_hash = std::nullopt,
                               const std::optional<std::string>& compat = std::nullopt) override;
    void forget_export_position(std::string_view destination) override;

    void for_each_audit_row(const std::function<void(const AuditRow&)>& fn) override;
    void for_each_key_target(const std::function<void(const KeyTarget&)>& fn) override;
    void for_each_orphan_snapshot(const std::function<void(const Snapshot&)>& fn) override;
    // Documents of the read model, snapshots and keys whose fields have the
    // wrong BSON type.
    void for_each_wrong_type_row(const std::function<void(const WrongTypeRow&)>& fn) override;
    // A MongoDB store is created at format 2: every event is of it.
    std::optional<std::int64_t> first_seq_of_format(std::int64_t version) override;
    AheadOfLog derived_ahead_of_log() override;
    std::int64_t delete_keys_ahead_of_log() override;
    // MongoDB checks its own structures; nothing to report.
    std::vector<std::string> quick_check() override { return {}; }
    Counts counts() override;

private:
    void begin_transaction(bool write) override;
    void commit_transaction(bool write) override;
    void end_transaction(bool write, bool committed) noexcept override;
    void begin_savepoint() override;
    void release_savepoint() override;
    void rollback_savepoint() noexcept override;

    // What a write transaction will commit, and what it read at its start.
    struct Buffer {
        bool active = false;
        Head base;  // the head when the transaction began: the CAS filter
        Head head;  // the head after the buffered appends
        std::optional<std::int64_t> snapshot_every;
        std::vector<RawEvent> events;
        std::map<std::string, domain::SkuState> states;
        std::map<std::pair<std::string, std::int64_t>, Snapshot> snapshots;  // with their hash
        std::vector<std::pair<std::string, IdempotencyEntry>> keys;
        std::map<std::string, std::optional<std::string>> settings;  // nullopt: deleted
        bool cleared = false;                                        // clear_derived()
        bool empty() const {
            return events.empty() && states.empty() && snapshots.empty() && keys.empty() && settings.empty() &&
                   !cleared;
        }
    };
    // A write outside a transaction commits on its own.
    template <class Fn>
    void autocommit(Fn&& fn);
    // The writer lease: waits (up to the lock timeout) until it is free or
    // expired and takes it; extends it when a fifth of it has passed (a
    // write_conflict when another writer has taken it over meanwhile);
    // gives it back.
    // commit_transaction's MongoDB transaction: the buffer, written.
    void commit_buffer();
    void take_lease();
    void keep_lease();
    void drop_lease() noexcept;
    Head stored_head();
    std::int64_t last_version(std::string_view sku);
    std::optional<Snapshot> stored_snapshot(std::string_view sku, std::int64_t version);
    std::optional<RawEvent> event_at(std::string_view sku, std::int64_t version);

    std::unique_ptr<Database> m_db;
    std::string m_shown;
    bool m_created = false;
    std::int64_t m_format = 0;
    util::Sha256 m_sha;
    Buffer m_tx;
    std::vector<Buffer> m_savepoints;
    int m_lock_timeout_ms = 0;
    std::string m_lease;                  // the holder id while this store holds the lease
    std::int64_t m_lease_renewed_ms = 0;  // when it last took or extended it (steady clock)
};

}  // namespace invlog::store::mongo
