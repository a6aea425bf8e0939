// verify on real files: a clean log passes, and each kind of damage is found
// at the right seq. The e2e tamper tests cover the same ground through the
// binary; these cover what sqlite3 alone cannot do, such as rewriting the
// whole chain with valid hashes.
#include <doctest/doctest.h>

#include <algorithm>
#include <optional>
#include <utility>
#include <vector>

#include "invlog/app/verify.hpp"
#include "invlog/store/settings.hpp"
#include "invlog/store/sqlite_store.hpp"
#include "invlog/util/crypto.hpp"
#include "support/temp_dir.hpp"
#include "support/workload.hpp"

using namespace invlog;

namespace {

struct Fixture {
    testing::TempDir dir;
    std::unique_ptr<store::SqliteStore> owner = testing::open_fast(dir.file("a.db"));
    store::SqliteStore& store = *owner;

    Fixture() {
        testing::run_workload(store, 60);
        store.connection().exec("DROP TRIGGER events_no_update; DROP TRIGGER events_no_delete;");
    }

    void exec(const std::string& sql) { store.connection().exec(sql.c_str()); }

    app::VerifyReport verify(const app::VerifyOptions& options = {}) { return app::verify(store, options); }

    std::string hash_at(std::int64_t seq) {
        std::string hash;
        store::EventFilter one;
        one.after_seq = seq - 1;
        one.limit = 1;
        store.for_each_raw(one, [&](const store::RawEvent& e) {
            hash = util::to_hex(e.hash);
            return false;
        });
        return hash;
    }

    // Rewrites every hash from `from` on so that the chain is valid again: what
    // a forger with the file and this program's source could do.
    void rechain(std::int64_t from) {
        util::Sha256 sha;
        util::Digest previous{};
        std::vector<std::pair<std::int64_t, util::Digest>> fixed;
        store.for_each_raw({}, [&](const store::RawEvent& e) {
            util::Digest h = e.seq < from ? e.hash : store::chain_hash(sha, previous, e);
            if (e.seq >= from) fixed.emplace_back(e.seq, h);
            previous = h;
            return true;
        });
        for (const auto& [seq, h] : fixed) {
            auto st = store.connection().prepare("UPDATE events SET hash = ?1 WHERE seq = ?2");
            st.bind_blob(1, h).bind(2, seq);
            st.run();
        }
    }
};

bool has(const app::VerifyReport& r, std::int64_t seq, const std::string& code) {
    return std::any_of(r.problems.begin(), r.problems.end(),
                       [&](const app::Problem& p) { return p.seq == seq && p.code == code; });
}

}  // namespace

TEST_SUITE("store.verify") {
    TEST_CASE("a clean log verifies and the report describes it") {
        Fixture f;
        auto r = f.verify();
        CHECK(r.ok());
        CHECK(r.events == f.store.head().seq);
        CHECK(r.skus == 3);
        CHECK(r.head_seq == r.events);
        CHECK(r.head_hash == f.hash_at(r.head_seq));
        CHECK(r.first_recorded_at == testing::workload_start);
        CHECK(r.idempotency_keys > 0);
    }

    TEST_CASE("a rewritten chain passes the chain check but not an expectation recorded before") {
        Fixture f;
        const std::int64_t audited = 20;
        const std::string recorded = f.hash_at(audited);
        const std::string head = f.verify().head_hash;
        // A change that no replay can see: who made event 5.
        f.exec("UPDATE events SET actor = 'mallory' WHERE seq = 5");
        const auto problems = f.verify().problems;
        REQUIRE_FALSE(problems.empty());
        CHECK(problems.front().seq == 5);
        f.rechain(5);
        CHECK(f.verify().ok());

        auto r = f.verify({{{audited, recorded}}, std::nullopt, nullptr});
        REQUIRE(r.problems.size() == 1);
        CHECK(r.problems[0].code == "unexpected_hash");
        CHECK(r.problems[0].seq == audited);
        r = f.verify({{}, head, nullptr});
        REQUIRE(r.problems.size() == 1);
        CHECK(r.problems[0].code == "unexpected_head");
    }

    TEST_CASE("expectations hold on an untouched log, also after it grew") {
        Fixture f;
        const auto before = f.verify();
        app::execute(f.store, app::Request{"A", domain::Receive{1}, "t", {}, {}, {}},
                     [] { return testing::workload_start + 999'000; });
        auto r = f.verify({{{before.head_seq, before.head_hash}, {1, f.hash_at(1)}}, std::nullopt, nullptr});
        CHECK(r.ok());
        r = f.verify({{}, before.head_hash, nullptr});
        CHECK(has(r, before.head_seq + 1, "unexpected_head"));
        r = f.verify({{{before.head_seq + 50, before.head_hash}}, std::nullopt, nullptr});
        CHECK(has(r, before.head_seq + 50, "expected_seq_missing"));
    }

    TEST_CASE("the invariant is checked after each command, not between its events") {
        Fixture f;
        // Make one reservation reserve far more than it took from available.
        std::int64_t seq = 0;
        f.store.for_each_raw({}, [&](const store::RawEvent& e) {
            if (e.event_type == "STOCK_RESERVED" && e.seq > 10) seq = e.seq;
            return seq == 0;
        });
        REQUIRE(seq > 0);
        f.exec("UPDATE events SET data = '{\"reserved\":100000}' WHERE seq = " + std::to_string(seq));
        auto r = f.verify();
        REQUIRE_FALSE(r.problems.empty());
        CHECK(r.problems.front().seq == seq);
        CHECK(r.problems.front().code == "hash_mismatch");
        // Reported once, at the command's last event (the available decrease).
        CHECK(has(r, seq + 1, "invariant_broken"));
        CHECK(std::count_if(r.problems.begin(), r.problems.end(),
                            [](const app::Problem& p) { return p.code == "invariant_broken"; }) == 1);
    }

    TEST_CASE("times that go back, stray snapshots and idempotency entries are found") {
        Fixture f;
        f.exec("UPDATE events SET recorded_at = 5 WHERE seq = 9");
        f.exec("INSERT INTO snapshots VALUES ('A', 9999, 1, 1, 0, 9999, 0, randomblob(32))");
        f.exec("INSERT INTO idempotency VALUES ('ghost', 'receive A 1', 'A', 9999, 'c')");
        f.exec("UPDATE events SET idempotency_key = 'unknown-key' WHERE seq = 2");
        auto r = f.verify();
        CHECK(has(r, 9, "time_goes_back"));
        CHECK(has(r, 9, "hash_mismatch"));
        CHECK(has(r, 0, "snapshot_orphan"));
        CHECK(has(r, 0, "idempotency_dangling"));
        CHECK(has(r, 2, "idempotency_missing"));
        // Problems come in seq order, those without a seq last.
        REQUIRE_FALSE(r.problems.empty());
        CHECK(r.problems.front().seq == 2);
        CHECK(r.problems.back().seq == 0);
    }

    TEST_CASE("a read model row without events and a SKU missing from the read model are found") {
        Fixture f;
        f.exec("INSERT INTO inventory VALUES ('GHOST', 1, 1, 0, 1, 0)");
        f.exec("DELETE FROM inventory WHERE sku = 'A'");
        auto r = f.verify();
        CHECK(has(r, 0, "read_model_extra"));
        auto missing = std::find_if(r.problems.begin(), r.problems.end(),
                                    [](const app::Problem& p) { return p.code == "read_model_missing"; });
        REQUIRE(missing != r.problems.end());
        CHECK(missing->sku == "A");
        CHECK(missing->seq > 0);
    }

    TEST_CASE("progress is reported with the head as the total") {
        Fixture f;
        std::int64_t last_done = 0, last_total = 0;
        f.verify({{}, std::nullopt, [&](std::int64_t done, std::int64_t total) {
                      last_done = done;
                      last_total = total;
                  }});
        // The workload is smaller than one progress step.
        CHECK(last_done == 0);
        testing::run_workload(f.store, 1500, 3);
        f.verify({{}, std::nullopt, [&](std::int64_t done, std::int64_t total) {
                      last_done = done;
                      last_total = total;
                  }});
        CHECK(last_done > 0);
        CHECK(last_total == f.store.head().seq);
    }

    TEST_CASE("the pass SKU by SKU finds what the pass in seq order finds, in the same order") {
        // Each damage on a fresh file with snapshots, verified keeping every
        // SKU's state (3 SKUs, under the default limit) and with the per-SKU
        // checks in their own pass (limit 0: from the first event; 1: after
        // the pass in seq order has begun them).
        const std::vector<std::pair<std::string, std::optional<bool>>> damages = {
            // SQL, and whether the pass SKU by SKU can judge the file (else
            // verify runs the one pass again, keeping every SKU); nullopt
            // where that depends on which SKUs the rows hold.
            {"", true},
            {"UPDATE events SET actor = 'mallory' WHERE seq = 5", true},
            {"UPDATE events SET data = '{\"reserved\":100000}' WHERE seq = (SELECT min(seq) FROM events WHERE "
             "event_type = 'STOCK_RESERVED' AND seq > 10)",
             true},
            {"UPDATE events SET recorded_at = 5 WHERE seq = 9; "
             "INSERT INTO snapshots VALUES ('A', 9999, 1, 1, 0, 9999, 0, randomblob(32)); "
             "INSERT INTO idempotency VALUES ('ghost', 'receive A 1', 'A', 9999, 'c'); "
             "UPDATE events SET idempotency_key = 'unknown-key' WHERE seq = 2",
             true},
            {"INSERT INTO inventory VALUES ('GHOST', 1, 1, 0, 1, 0); INSERT INTO inventory VALUES ('0', 1, 1, 0, 1, "
             "0); "
             "DELETE FROM inventory WHERE sku = 'A'; UPDATE inventory SET soh = soh + 1 WHERE sku = 'B-2'",
             true},
            {"DELETE FROM events WHERE seq IN (7, 30, 31)", true},
            {"UPDATE events SET seq = seq + 1000 WHERE seq = (SELECT max(seq) FROM events)", true},
            {"UPDATE events SET hash = randomblob(32) WHERE seq IN (10, 40)", true},
            {"UPDATE events SET event_type = 'NOPE' WHERE seq = 4; UPDATE events SET data = '{' WHERE seq = 12", true},
            {"UPDATE snapshots SET soh = soh + 1 WHERE version = 4; UPDATE snapshots SET hash = randomblob(32) "
             "WHERE version = 8",
             true},
            {"UPDATE idempotency SET fingerprint = 'receive A 999'", true},
            {"UPDATE events SET command_id = 'x' WHERE seq IN (20, 21, 22)", true},
            {"UPDATE events SET sku = CAST(sku AS BLOB) WHERE seq = 3", std::nullopt},
            {"UPDATE events SET version = version + 1000 WHERE seq = 15", std::nullopt},
            {"UPDATE events SET version = 99 WHERE seq = 6; UPDATE events SET version = 98 WHERE seq = 50", false},
            {"UPDATE events SET seq = -1 WHERE seq = 3", false},
            {"UPDATE events SET sku = '' WHERE seq = 1", false},
        };
        for (const auto& damage : damages) {
            // Named, not a structured binding: CAPTURE's lambda cannot take
            // one in clang 14.
            const std::string& sql = damage.first;
            const std::optional<bool>& by_sku = damage.second;
            CAPTURE(sql);
            testing::TempDir dir;
            auto owner = testing::open_fast(dir.file("a.db"));
            store::write_setting(owner->connection(), store::snapshot_every_key, "4");
            testing::run_workload(*owner, 120);
            owner->connection().exec("DROP TRIGGER events_no_update; DROP TRIGGER events_no_delete;");
            // The schema's type checks are what a forger removes first.
            owner->connection().exec("PRAGMA ignore_check_constraints = ON");
            if (!sql.empty()) owner->connection().exec(sql.c_str());
            const auto one = app::verify(*owner, {});
            CHECK_FALSE(one.sku_pass);
            CHECK(one.snapshots > 0);
            CHECK(one.ok() == sql.empty());
            for (std::size_t limit : {0, 1}) {
                CAPTURE(limit);
                app::VerifyOptions options;
                options.sku_limit = limit;
                const auto two = app::verify(*owner, options);
                if (by_sku) CHECK(two.sku_pass == *by_sku);
                CHECK(two.events == one.events);
                CHECK(two.skus == one.skus);
                CHECK(two.snapshots == one.snapshots);
                CHECK(two.idempotency_keys == one.idempotency_keys);
                CHECK(two.head_hash == one.head_hash);
                REQUIRE(two.problems.size() == one.problems.size());
                for (std::size_t i = 0; i < one.problems.size(); ++i) {
                    CAPTURE(i);
                    CHECK(two.problems[i].seq == one.problems[i].seq);
                    CHECK(two.problems[i].sku == one.problems[i].sku);
                    CHECK(two.problems[i].code == one.problems[i].code);
                    CHECK(two.problems[i].message == one.problems[i].message);
                }
                CHECK(two.notices.size() == one.notices.size());
            }
        }
    }
}
