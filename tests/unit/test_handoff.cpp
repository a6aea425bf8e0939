// util::Handoff: rows added on one thread are consumed on another in the
// order added, across many rounds of its chunks, and failures on either side
// reach the reading thread.
#include <doctest/doctest.h>

#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "invlog/util/handoff.hpp"

using invlog::util::Handoff;

namespace {

struct Row {
    long n = 0;
    std::string text;
};

}  // namespace

TEST_SUITE("unit.handoff") {
    TEST_CASE("every row, in order, on a thread other than the reader's") {
        // Many chunks' worth, and a last chunk that is not full.
        const long rows = static_cast<long>(Handoff<Row>::chunk_rows * Handoff<Row>::chunks * 5 + 7);
        std::vector<Row> seen;
        std::thread::id consumer;
        Handoff<Row> handoff([&](const Row& r) {
            consumer = std::this_thread::get_id();
            seen.push_back(r);
        });
        handoff.feed([&] {
            Row r;
            for (long i = 0; i < rows; ++i) {
                r.n = i;
                // Text of changing lengths: a slot's earlier, longer text must not show through.
                r.text = std::string(static_cast<std::size_t>(i % 50), 'x') + std::to_string(i);
                REQUIRE(handoff.add(r));
            }
        });
        REQUIRE(seen.size() == static_cast<std::size_t>(rows));
        for (long i = 0; i < rows; ++i) {
            CHECK(seen[static_cast<std::size_t>(i)].n == i);
            CHECK(seen[static_cast<std::size_t>(i)].text ==
                  std::string(static_cast<std::size_t>(i % 50), 'x') + std::to_string(i));
        }
        CHECK(consumer != std::this_thread::get_id());
    }

    TEST_CASE("rows written in place by fill") {
        std::vector<long> seen;
        Handoff<Row> handoff([&](const Row& r) { seen.push_back(r.n); });
        handoff.feed([&] {
            for (long i = 0; i < 3000; ++i) REQUIRE(handoff.fill([&](Row& slot) { slot.n = i * 2; }));
        });
        REQUIRE(seen.size() == 3000);
        for (std::size_t i = 0; i < seen.size(); ++i) CHECK(seen[i] == static_cast<long>(i) * 2);
    }

    TEST_CASE("a consumer's failure stops the adding and is thrown on the reading thread") {
        long consumed = 0;
        Handoff<Row> handoff([&](const Row& r) {
            if (r.n == 1500) throw std::runtime_error("row 1500 is bad");
            ++consumed;
        });
        long added = 0;
        CHECK_THROWS_WITH_AS(handoff.feed([&] {
            Row r;
            for (r.n = 0; r.n < 1'000'000; ++r.n) {
                if (!handoff.add(r)) return;
                ++added;
            }
        }),
                             "row 1500 is bad", std::runtime_error);
        CHECK(consumed == 1500);
        // The reader learns of the failure within the chunks that go round,
        // and a reader that keeps adding is told at once every time.
        CHECK(added < 1'000'000);
        CHECK_FALSE(handoff.add(Row{}));
        CHECK_FALSE(handoff.fill([](Row&) { FAIL("a row written after the failure"); }));
    }

    TEST_CASE("a failure to read wins, after the rows read before it are consumed") {
        std::vector<long> seen;
        Handoff<Row> handoff([&](const Row& r) { seen.push_back(r.n); });
        CHECK_THROWS_WITH_AS(handoff.feed([&] {
            Row r;
            for (r.n = 0; r.n < 2500; ++r.n) handoff.add(r);
            throw std::runtime_error("the file went away");
        }),
                             "the file went away", std::runtime_error);
        CHECK(seen.size() == 2500);
    }

    TEST_CASE("destroyed without finish: the thread still ends") {
        long consumed = 0;
        {
            Handoff<Row> handoff([&](const Row&) { ++consumed; });
            Row r;
            for (int i = 0; i < 10; ++i) handoff.add(r);
        }
        CHECK(consumed == 10);
    }
}
