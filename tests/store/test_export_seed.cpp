// The seed-compatible export on real SQLite files: a SKU first met past its
// start is replayed from the log, so that a resumed export writes the same
// documents as a whole one; positions keep their mode.
#include <doctest/doctest.h>

#include <map>
#include <string>
#include <vector>

#include "invlog/app/service.hpp"
#include "invlog/export/file_export.hpp"
#include "invlog/export/seed.hpp"
#include "invlog/store/export_positions.hpp"
#include "support/temp_dir.hpp"

namespace ex = invlog::exporter;
namespace st = invlog::store;
namespace dm = invlog::domain;
using invlog::testing::TempDir;

namespace {

std::unique_ptr<st::EventStore> open_store(const TempDir& dir) {
    return st::open_store(st::OpenOptions{dir.file("inv.db"), st::OpenMode::write, 5000, false});
}

// Every command runs at the same millisecond: created_at has ties to break.
void run(st::EventStore& store, const std::string& sku, dm::Command command, const char* reason = nullptr) {
    invlog::app::Request r;
    r.sku = sku;
    r.command = command;
    r.actor = "tester";
    if (reason) r.reason = reason;
    invlog::app::execute(store, r, [] { return dm::Millis(1'795'773'600'000); });
}

std::vector<dm::EventRecord> events_after(st::EventStore& store, std::int64_t after) {
    st::EventFilter filter;
    filter.after_seq = after;
    std::vector<dm::EventRecord> out;
    store.for_each_event(filter, [&](const dm::EventRecord& e) {
        out.push_back(e);
        return true;
    });
    return out;
}

std::vector<std::string> lines(st::EventStore& store, std::int64_t after) {
    ex::FileExportOptions options;
    options.format = ex::FileFormat::ndjson;
    options.compat = ex::Compat::seed;
    options.after_seq = after;
    std::vector<std::string> out;
    // Whole lines, many at a time.
    ex::export_lines(store, options, [&](std::string_view block, std::int64_t) {
        REQUIRE(block.back() == '\n');
        for (std::size_t at = 0; at < block.size();) {
            const std::size_t end = block.find('\n', at);
            out.emplace_back(block.substr(at, end - at));
            at = end + 1;
        }
    });
    return out;
}

}  // namespace

TEST_SUITE("store.export_seed") {
    TEST_CASE("a resumed seed export writes the documents of a whole one") {
        TempDir dir;
        auto store = open_store(dir);
        run(*store, "A", dm::Create{10, std::nullopt});
        run(*store, "A", dm::Reserve{4});
        run(*store, "B", dm::Create{2, std::nullopt});
        run(*store, "A", dm::Release{1});
        run(*store, "A", dm::Receive{3});
        run(*store, "B", dm::Adjust{-2}, "broken");
        run(*store, "A", dm::Complete{3});

        const auto all = events_after(*store, 0);
        ex::SeedSequencer whole(*store);
        auto full = whole.translate(all);
        for (std::int64_t after : {0, 1, 3, 4, 6}) {
            CAPTURE(after);
            ex::SeedSequencer resumed(*store);
            auto tail = resumed.translate(events_after(*store, after));
            std::vector<const ex::SeedDocument*> expected;
            for (const auto& d : full.documents)
                if (d.record->seq > after) expected.push_back(&d);
            REQUIRE(tail.documents.size() == expected.size());
            for (std::size_t i = 0; i < expected.size(); ++i) {
                CHECK(tail.documents[i].id == expected[i]->id);
                CHECK(tail.documents[i].created_at == expected[i]->created_at);
                CHECK(tail.documents[i].event == expected[i]->event);
            }
            // The file export says the same, line for line.
            auto written = lines(*store, after);
            REQUIRE(written.size() == expected.size());
            for (std::size_t i = 0; i < expected.size(); ++i) CHECK(written[i] == ex::seed_json_line(*expected[i]));
        }
        // One millisecond for every event: A's documents take one each, B's
        // start again at the recorded time.
        std::map<std::string, std::vector<dm::Millis>> times;
        for (const auto& d : full.documents) times[d.record->sku].push_back(d.created_at);
        const dm::Millis t = 1'795'773'600'000;
        CHECK(times["B"] == std::vector<dm::Millis>{t, t + 1, t + 2});
        REQUIRE(times["A"].size() == 9);  // create, reserve x2, release x2, receive x2, complete x2
        for (std::size_t i = 0; i < times["A"].size(); ++i) CHECK(times["A"][i] == t + static_cast<dm::Millis>(i));
    }

    TEST_CASE("positions keep their mode, and are listed") {
        TempDir dir;
        auto store = open_store(dir);
        run(*store, "A", dm::Create{1, std::nullopt});
        store->write_export_position("mongodb://h:1/inventory.inventory", 1, 1000, std::nullopt, std::string("seed"));
        store->write_export_position("mongodb://h:1/inventory.events?sku=A", 1, 1000);
        auto all = store->list_export_positions();
        REQUIRE(all.size() == 2);
        CHECK(all[0].destination == "mongodb://h:1/inventory.events?sku=A");
        CHECK_FALSE(all[0].compat);
        CHECK(all[1].destination == "mongodb://h:1/inventory.inventory");
        CHECK(all[1].compat == std::optional<std::string>("seed"));
        auto seeded = store->read_export_position("mongodb://h:1/inventory.inventory");
        REQUIRE(seeded);
        CHECK(seeded->compat == std::optional<std::string>("seed"));
    }
}
