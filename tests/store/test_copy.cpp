// invlog copy: import_event on every backend (store_fixture.hpp) accepts only
// an event that continues the log; app::copy moves a whole log, resumes after
// an interruption and refuses a destination that holds another log.
#include <doctest/doctest.h>

#include <optional>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "invlog/app/copy.hpp"
#include "invlog/app/verify.hpp"
#include "invlog/domain/error.hpp"
#include "invlog/store/event_store.hpp"
#include "invlog/store/schema.hpp"
#include "invlog/store/sqlite_store.hpp"
#include "support/format1.hpp"
#include "support/store_fixture.hpp"
#include "support/temp_dir.hpp"
#include "support/workload.hpp"

using namespace invlog;
using invlog::testing::for_each_backend;
using invlog::testing::StoreFixture;

namespace {

std::vector<store::RawEvent> all_events(store::EventStore& s) {
    std::vector<store::RawEvent> out;
    store::EventStore::Transaction tx(s, false);
    s.for_each_raw({}, [&](const store::RawEvent& e) {
        out.push_back(e);
        return true;
    });
    tx.commit();
    return out;
}

bool same(const store::RawEvent& a, const store::RawEvent& b) {
    return a.seq == b.seq && a.event_id == b.event_id && a.sku == b.sku && a.version == b.version &&
           a.event_type == b.event_type && a.data == b.data && a.recorded_at == b.recorded_at &&
           a.meta.actor == b.meta.actor && a.meta.reason == b.meta.reason && a.meta.command_id == b.meta.command_id &&
           a.meta.idempotency_key == b.meta.idempotency_key && a.hash == b.hash;
}

void import_all(store::EventStore& s, const std::vector<store::RawEvent>& events) {
    store::EventStore::Transaction tx(s, true);
    for (const auto& e : events) s.import_event(e);
    tx.commit();
}

std::string import_failure(store::EventStore& s, const store::RawEvent& e) {
    try {
        store::EventStore::Transaction tx(s, true);
        s.import_event(e);
        tx.commit();
    } catch (const domain::Failure& f) {
        CHECK(f.kind() == domain::ErrorKind::integrity);
        return f.code();
    }
    return "accepted";
}

std::string copy_failure(store::EventStore& source, store::EventStore& dest) {
    try {
        app::copy(source, dest, {});
    } catch (const domain::Failure& f) {
        CHECK(f.kind() == domain::ErrorKind::conflict);
        return f.code();
    }
    return "copied";
}

store::Head head_of(store::EventStore& s) {
    store::EventStore::Transaction tx(s, false);
    auto h = s.head();
    tx.commit();
    return h;
}

std::vector<std::pair<std::string, std::string>> settings_of(store::EventStore& s) {
    std::vector<std::pair<std::string, std::string>> out;
    store::EventStore::Transaction tx(s, false);
    s.for_each_setting([&](std::string_view k, std::string_view v) { out.emplace_back(k, v); });
    tx.commit();
    return out;
}

}  // namespace

TEST_SUITE("store.copy") {
    TEST_CASE("import_event takes another store's events as they were recorded") {
        for_each_backend([](StoreFixture& backend) {
            auto source = backend.open_empty();
            testing::run_workload(*source, 30);
            auto events = all_events(*source);
            REQUIRE(events.size() > 20);
            auto dest = backend.open_empty();
            import_all(*dest, events);
            auto copied = all_events(*dest);
            REQUIRE(copied.size() == events.size());
            for (std::size_t i = 0; i < events.size(); ++i) CHECK(same(copied[i], events[i]));
            CHECK(head_of(*dest).hash == head_of(*source).hash);
            CHECK(head_of(*dest).event_id == head_of(*source).event_id);
        });
    }

    TEST_CASE("import_event refuses an event that does not continue the log, and writes nothing") {
        for_each_backend([](StoreFixture& backend) {
            auto source = backend.open_empty();
            testing::run_workload(*source, 12);
            auto events = all_events(*source);
            REQUIRE(events.size() > 6);
            auto dest = backend.open_empty();
            import_all(*dest, {events[0], events[1], events[2]});
            const auto before = head_of(*dest);
            util::Sha256 sha;

            // A repeated and a skipped seq.
            CHECK(import_failure(*dest, events[2]) == "import_out_of_order");
            CHECK(import_failure(*dest, events[4]) == "import_out_of_order");
            // The right seq with another content than the hash covers.
            auto edited = events[3];
            edited.data = "{\"soh\":999999,\"available_quantity\":999999,\"reserved\":0}";
            CHECK(import_failure(*dest, edited) == "import_out_of_order");
            // The right seq and a hash that chains it, but not after this head.
            auto rechained = events[3];
            rechained.hash = store::chain_hash(sha, events[0].hash, rechained);
            CHECK(import_failure(*dest, rechained) == "import_out_of_order");
            // A version that is not the SKU's next one, its hash made right.
            auto jumped = events[3];
            jumped.version += 1;
            jumped.hash = store::chain_hash(sha, before.hash, jumped);
            CHECK(import_failure(*dest, jumped) == "import_out_of_order");
            auto first_again = events[3];
            first_again.sku = "NEW";
            first_again.version = 2;
            first_again.hash = store::chain_hash(sha, before.hash, first_again);
            CHECK(import_failure(*dest, first_again) == "import_out_of_order");

            CHECK(head_of(*dest).seq == before.seq);
            CHECK(head_of(*dest).hash == before.hash);
            CHECK(all_events(*dest).size() == 3);
            // The right one still goes on.
            CHECK(import_failure(*dest, events[3]) == "accepted");
            CHECK(head_of(*dest).hash == events[3].hash);
        });
    }

    TEST_CASE("copy moves the log, settings and keys; a re-run after an interruption goes on from the head") {
        for_each_backend([](StoreFixture& backend) {
            auto source = backend.open_empty();
            {
                store::EventStore::Transaction tx(*source, true);
                source->write_setting(store::snapshot_every_key, "7");
                tx.commit();
            }
            testing::run_workload(*source, 60);
            const auto events = all_events(*source);
            REQUIRE(events.size() > 40);

            auto dest = backend.open_empty();
            app::CopyOptions options;
            options.batch = 10;
            struct Interrupted {};
            options.after_batch = [](std::int64_t batches, std::int64_t) {
                if (batches == 2) throw Interrupted{};
            };
            CHECK_THROWS_AS(app::copy(*source, *dest, options), Interrupted);
            CHECK(head_of(*dest).seq == 20);

            options.after_batch = {};
            std::vector<std::int64_t> heads;
            options.after_batch = [&](std::int64_t, std::int64_t seq) { heads.push_back(seq); };
            auto result = app::copy(*source, *dest, options);
            CHECK(result.resumed_from == 20);
            CHECK(result.events_copied == static_cast<std::int64_t>(events.size()) - 20);
            CHECK(heads.front() == 30);
            CHECK(result.head.seq == head_of(*source).seq);
            CHECK(result.head.hash == head_of(*source).hash);
            CHECK(result.idempotency_keys > 0);
            CHECK(result.snapshots > 0);
            auto copied = all_events(*dest);
            REQUIRE(copied.size() == events.size());
            for (std::size_t i = 0; i < events.size(); ++i) CHECK(same(copied[i], events[i]));
            CHECK(settings_of(*dest) == settings_of(*source));

            auto report = app::verify(*dest, {});
            CHECK(report.ok());
            CHECK(report.head_hash == app::verify(*source, {}).head_hash);
            for (const auto& sku : {"A", "B-2", "C/3"}) {
                store::EventStore::Transaction tx(*dest, false);
                store::EventStore::Transaction stx(*source, false);
                CHECK(dest->read_state(sku)->state == source->read_state(sku)->state);
            }

            // Once complete, another run copies nothing and changes nothing.
            auto again = app::copy(*source, *dest, options);
            CHECK(again.events_copied == 0);
            CHECK(again.idempotency_keys == 0);
            CHECK(again.head.hash == result.head.hash);
        });
    }

    TEST_CASE("copy refuses a destination that holds another log, and writes nothing to it") {
        for_each_backend([](StoreFixture& backend) {
            auto source = backend.open_empty();
            testing::run_workload(*source, 20);
            auto other = backend.open_empty();
            testing::run_workload(*other, 5, 99);
            const auto before = head_of(*other);
            CHECK(copy_failure(*source, *other) == "copy_destination_diverges");
            CHECK(head_of(*other).hash == before.hash);

            auto longer = backend.open_empty();
            testing::run_workload(*longer, 40);
            CHECK(copy_failure(*source, *longer) == "copy_destination_ahead");

            // No events, but one of the source's keys recorded for another
            // command.
            std::optional<store::KeyTarget> key;
            {
                store::EventStore::Transaction tx(*source, false);
                source->for_each_key_target([&](const store::KeyTarget& t) { key = t; });
                tx.commit();
            }
            REQUIRE(key);
            auto keyed = backend.open_empty();
            {
                store::EventStore::Transaction tx(*keyed, true);
                keyed->record_idempotency(key->key, store::IdempotencyEntry{key->entry.fingerprint, key->entry.sku,
                                                                            key->entry.version + 1, "other"});
                tx.commit();
            }
            CHECK(copy_failure(*source, *keyed) == "copy_key_conflict");
            CHECK(head_of(*keyed).seq == 0);
        });
    }

    TEST_CASE("a log begun under format 1 verifies in its copy as in its source") {
        // Format 1 took event ids from the unclamped clock; a file upgraded
        // from it records where format 2's id rules begin, and so must the
        // copy, or verify would report the older events there.
        testing::TempDir dir;
        {
            auto current = testing::open_fast(dir.file("current.db"));
            testing::run_workload(*current, 20);
        }
        testing::copy_as_format1(dir.file("current.db"), dir.file("old.db"));
        // Events whose ids are not version 7 UUIDs of their time, rechained.
        {
            store::Connection conn(dir.file("old.db"), false);
            conn.exec("DROP TRIGGER events_no_update");
            std::vector<store::RawEvent> events;
            {
                store::Statement st =
                    conn.prepare(std::string("SELECT ") + store::raw_columns + " FROM events ORDER BY seq");
                while (st.step()) events.push_back(store::read_raw(st));
            }
            util::Sha256 sha;
            util::Digest previous{};
            conn.exec("BEGIN");
            for (auto& e : events) {
                e.event_id = fmt::format("00000000-0000-4000-8000-{:012d}", e.seq);
                e.hash = store::chain_hash(sha, previous, e);
                previous = e.hash;
                store::Statement up = conn.prepare("UPDATE events SET event_id = ?1, hash = ?2 WHERE seq = ?3");
                up.bind(1, e.event_id).bind_blob(2, e.hash).bind(3, e.seq);
                up.run();
            }
            conn.exec("COMMIT");
        }
        auto old = testing::open_fast(dir.file("old.db"));  // upgraded to format 2
        testing::run_workload(*old, 10, 3);
        REQUIRE(old->first_seq_of_format(2).value_or(1) > 1);
        REQUIRE(app::verify(*old, {}).ok());

        auto dest = testing::open_fast(dir.file("dest.db"));
        app::copy(*old, *dest, {});
        CHECK(dest->first_seq_of_format(2) == old->first_seq_of_format(2));
        auto report = app::verify(*dest, {});
        CHECK(report.ok());
        for (const auto& p : report.problems) MESSAGE(p.code << ": " << p.message);
    }
}
