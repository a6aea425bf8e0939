// Export positions, the exporter's log queries, file export lines and the
// atomic output file, on real SQLite files.
#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include <nlohmann/json.hpp>

#include "invlog/app/service.hpp"
#include "invlog/domain/error.hpp"
#include "invlog/export/atomic_file.hpp"
#include "invlog/export/file_export.hpp"
#include "invlog/store/export_positions.hpp"
#include "invlog/store/sqlite_store.hpp"
#include "support/temp_dir.hpp"

namespace ex = invlog::exporter;
namespace st = invlog::store;
using invlog::testing::TempDir;

namespace {

std::unique_ptr<st::SqliteStore> open_store(const TempDir& dir) {
    return std::make_unique<st::SqliteStore>(st::OpenOptions{dir.file("inv.db"), st::OpenMode::write, 5000, false});
}

void run(st::EventStore& store, const std::string& sku, invlog::domain::Command command) {
    invlog::app::Request r;
    r.sku = sku;
    r.command = command;
    r.actor = "tester";
    invlog::app::execute(store, r, [] { return invlog::domain::Millis(1'795'773'600'000); });
}

// Five events: A created (1), A reserved (2, 3), B created (4), A received (5).
void fill(st::EventStore& store) {
    run(store, "A", invlog::domain::Create{10, std::nullopt});
    run(store, "A", invlog::domain::Reserve{2});
    run(store, "B", invlog::domain::Create{1, std::nullopt});
    run(store, "A", invlog::domain::Receive{3});
}

std::string read_file(const std::string& path) {
    std::ifstream in(path);
    std::stringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

}  // namespace

TEST_SUITE("store.export_positions") {
    TEST_CASE("positions are absent, then written, then advanced, per destination") {
        TempDir dir;
        auto store = open_store(dir);
        CHECK_FALSE(store->read_export_position("mongodb://h:27017/inventory.events"));
        store->write_export_position("mongodb://h:27017/inventory.events", 5, 1000);
        store->write_export_position("mongodb://h:27017/inventory.events", 9, 2000);
        store->write_export_position("mongodb://h:27017/inventory.events?sku=A", 3, 3000);
        auto p = store->read_export_position("mongodb://h:27017/inventory.events");
        REQUIRE(p);
        CHECK(p->last_seq == 9);
        CHECK(p->updated_at == 2000);
        auto filtered = store->read_export_position("mongodb://h:27017/inventory.events?sku=A");
        REQUIRE(filtered);
        CHECK(filtered->last_seq == 3);
    }

    TEST_CASE("a position never moves back, until it is forgotten") {
        TempDir dir;
        auto store = open_store(dir);
        invlog::util::Digest nine{}, four{};
        nine[0] = 9;
        four[0] = 4;
        store->write_export_position("d", 9, 1000, nine);
        // A re-run, --from-start or a second exporter acknowledging earlier events.
        store->write_export_position("d", 4, 2000, four);
        auto p = store->read_export_position("d");
        REQUIRE(p);
        CHECK(p->last_seq == 9);
        CHECK(p->last_hash == nine);  // the hash goes with the seq it describes
        CHECK(p->updated_at == 2000);
        store->forget_export_position("d");
        CHECK_FALSE(store->read_export_position("d"));
        store->write_export_position("d", 4, 3000);
        p = store->read_export_position("d");
        REQUIRE(p);
        CHECK(p->last_seq == 4);
    }

    TEST_CASE("a position keeps the hash of its last event and the export mode, both optional") {
        TempDir dir;
        auto store = open_store(dir);
        invlog::util::Digest hash{};
        hash[0] = 0xab;
        hash[31] = 0x01;
        store->write_export_position("plain", 5, 1000);
        store->write_export_position("seeded", 7, 2000, hash, std::string("seed"));
        auto plain = store->read_export_position("plain");
        REQUIRE(plain);
        CHECK_FALSE(plain->last_hash);
        CHECK_FALSE(plain->compat);
        auto seeded = open_store(dir)->read_export_position("seeded");
        REQUIRE(seeded);
        CHECK(seeded->last_seq == 7);
        REQUIRE(seeded->last_hash);
        CHECK(*seeded->last_hash == hash);
        CHECK(seeded->compat == "seed");
        // Advancing without them clears them: they describe the position written.
        store->write_export_position("seeded", 8, 3000);
        auto advanced = store->read_export_position("seeded");
        REQUIRE(advanced);
        CHECK(advanced->last_seq == 8);
        CHECK_FALSE(advanced->last_hash);
        CHECK_FALSE(advanced->compat);
        // And the type CHECKs hold: a hash is 32 bytes.
        CHECK_THROWS_AS(store->connection().exec("UPDATE export_positions SET last_hash = x'00' WHERE destination = "
                                                 "'plain'"),
                        invlog::domain::Failure);
    }

    TEST_CASE("positions survive reopening the file") {
        TempDir dir;
        open_store(dir)->write_export_position("d", 4, 1);
        CHECK(open_store(dir)->read_export_position("d")->last_seq == 4);
    }

    TEST_CASE("count_events applies the exporter's bounds") {
        TempDir dir;
        auto store = open_store(dir);
        fill(*store);
        st::EventFilter f;
        CHECK(store->count_events(f) == 5);
        f.after_seq = 2;
        CHECK(store->count_events(f) == 3);
        f.sku = "A";
        CHECK(store->count_events(f) == 2);
        f.max_seq = 4;
        CHECK(store->count_events(f) == 1);
    }

    TEST_CASE("file export lines: extjson documents and ndjson events, filtered") {
        TempDir dir;
        auto store = open_store(dir);
        fill(*store);
        std::vector<std::string> lines;
        std::int64_t given = 0;
        // Whole lines, many at a time, and the events they complete.
        auto write = [&](std::string_view block, std::int64_t events) {
            REQUIRE(block.back() == '\n');
            for (std::size_t at = 0; at < block.size();) {
                const std::size_t end = block.find('\n', at);
                lines.emplace_back(block.substr(at, end + 1 - at));
                at = end + 1;
            }
            given = events;
        };
        auto summary = ex::export_lines(*store, {ex::FileFormat::extjson, std::string("A"), 1}, write);
        CHECK(given == 3);
        CHECK(summary.events == 3);
        CHECK(summary.first_seq == 2);
        CHECK(summary.last_seq == 5);
        REQUIRE(lines.size() == 3);
        auto first = nlohmann::json::parse(lines[0]);
        CHECK(first["event_type"] == "STOCK_RESERVED");
        CHECK(first["reserved"] == 2);
        CHECK(first["created_at"]["$date"] == "2026-11-27T10:00:00Z");
        CHECK(lines[0].back() == '\n');

        lines.clear();
        ex::export_lines(*store, {ex::FileFormat::ndjson, std::nullopt, 4}, write);
        CHECK(given == 1);
        REQUIRE(lines.size() == 1);
        auto last = nlohmann::json::parse(lines[0]);
        CHECK(last["seq"] == 5);
        CHECK(last["data"]["quantity"] == 3);
    }

    TEST_CASE("an atomic file appears only on commit") {
        TempDir dir;
        const std::string path = dir.file("out.json");
        {
            ex::AtomicFile f(path);
            f.write("one\n");
            f.commit();
        }
        CHECK(read_file(path) == "one\n");
        {
            ex::AtomicFile f(path);
            f.write("half");
        }
        CHECK(read_file(path) == "one\n");
        int entries = 0;
        for ([[maybe_unused]] const auto& e : std::filesystem::directory_iterator(dir.path())) ++entries;
        CHECK(entries == 1);
    }

    TEST_CASE("an atomic file in a missing directory is a storage failure naming it") {
        TempDir dir;
        const std::string path = dir.file("no/such/out.json");
        try {
            ex::AtomicFile f(path);
            FAIL("no failure");
        } catch (const invlog::domain::Failure& f) {
            CHECK(f.kind() == invlog::domain::ErrorKind::storage);
            CHECK(std::string(f.what()).find(path) != std::string::npos);
        }
    }
}
