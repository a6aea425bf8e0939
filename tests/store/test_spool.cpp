// The held-back output and input of apply --atomic: memory first, then an
// unlinked temporary file, drained or read back in order either way.
#include <doctest/doctest.h>

#include <cstdlib>
#include <filesystem>
#include <optional>

#include "invlog/batch/spool.hpp"
#include "invlog/batch/staged_input.hpp"
#include "invlog/domain/error.hpp"
#include "support/temp_dir.hpp"

using invlog::batch::Spool;

namespace {

// Every command with and without its optional fields, and text of any bytes.
std::vector<invlog::app::Request> sample_requests() {
    using namespace invlog::domain;
    const std::vector<Command> commands = {Create{10, std::nullopt},
                                           Create{10, 4},
                                           SetSoh{0, std::nullopt},
                                           SetSoh{7, 7},
                                           SetAvailable{3},
                                           Reserve{1'000'000'000'000},
                                           Complete{2},
                                           Release{3},
                                           Receive{4},
                                           Adjust{-5}};
    std::vector<invlog::app::Request> out;
    for (std::size_t i = 0; i < commands.size(); ++i) {
        invlog::app::Request r;
        r.sku = "SKU-" + std::to_string(i);
        r.command = commands[i];
        r.actor = i % 2 ? "alice" : std::string("b\n\0b", 4);
        if (i % 3 == 0) r.reason = i == 0 ? "" : "reason \xc3\xa9";
        if (i % 4 == 1) r.expected_version = static_cast<std::int64_t>(i);
        if (i % 2 == 0) r.idempotency_key = "key-" + std::to_string(i);
        out.push_back(r);
    }
    return out;
}

bool same(const invlog::app::Request& a, const invlog::app::Request& b) {
    return a.sku == b.sku &&
           invlog::domain::fingerprint(a.sku, a.command) == invlog::domain::fingerprint(b.sku, b.command) &&
           a.command.index() == b.command.index() && a.actor == b.actor && a.reason == b.reason &&
           a.expected_version == b.expected_version && a.idempotency_key == b.idempotency_key;
}

std::string drained(Spool& spool) {
    std::string out;
    spool.drain([&](std::string_view text) { out += text; });
    return out;
}

// Points $TMPDIR somewhere for the life of the object.
class ScopedTmpdir {
public:
    explicit ScopedTmpdir(const std::string& dir) {
        if (const char* old = std::getenv("TMPDIR")) m_saved = old;
        setenv("TMPDIR", dir.c_str(), 1);
    }
    ~ScopedTmpdir() {
        if (m_saved)
            setenv("TMPDIR", m_saved->c_str(), 1);
        else
            unsetenv("TMPDIR");
    }

private:
    std::optional<std::string> m_saved;
};

}  // namespace

TEST_SUITE("store.spool") {
    TEST_CASE("small output stays in memory") {
        Spool spool(1024);
        spool.add("a\n");
        spool.add("b\n");
        CHECK_FALSE(spool.spilled());
        CHECK(drained(spool) == "a\nb\n");
        CHECK(drained(spool).empty());
    }

    TEST_CASE("large output spills to a file that never shows in the directory") {
        invlog::testing::TempDir dir;
        ScopedTmpdir tmpdir(dir.path().string());
        std::string expected;
        Spool spool(100);
        for (int i = 0; i < 10'000; ++i) {
            std::string line = "line " + std::to_string(i) + "\n";
            spool.add(line);
            expected += line;
        }
        REQUIRE(spool.spilled());  // else this tests the memory path again
        CHECK(std::filesystem::is_empty(dir.path()));
        CHECK(drained(spool) == expected);
    }

    TEST_CASE("an unusable temporary directory is a storage failure") {
        invlog::testing::TempDir dir;
        ScopedTmpdir tmpdir(dir.file("missing"));
        Spool spool(4);
        spool.add("four");
        try {
            spool.add("more");
            FAIL("no failure");
        } catch (const invlog::domain::Failure& f) {
            CHECK(f.kind() == invlog::domain::ErrorKind::storage);
            CHECK(std::string(f.what()).find(dir.file("missing")) != std::string::npos);
        }
    }

    TEST_CASE("held input reads back every request, from memory or from the file") {
        invlog::testing::TempDir dir;
        ScopedTmpdir tmpdir(dir.path().string());
        const auto requests = sample_requests();
        for (std::size_t limit : {std::size_t{1} << 20, std::size_t{64}}) {
            CAPTURE(limit);
            invlog::batch::StagedInput staged(limit);
            for (int round = 0; round < 500; ++round)
                for (std::size_t i = 0; i < requests.size(); ++i)
                    staged.add(round * 100 + static_cast<std::int64_t>(i), requests[i]);
            // Each limit takes the path it names: memory for 1 MiB, the file for 64 bytes.
            REQUIRE(staged.spilled() == (limit == 64));
            CHECK(std::filesystem::is_empty(dir.path()));
            std::size_t n = 0;
            staged.for_each([&](std::int64_t line, invlog::app::Request&& r) {
                const std::size_t i = n % requests.size();
                CHECK(line == static_cast<std::int64_t>(n / requests.size() * 100 + i));
                CHECK(same(r, requests[i]));
                ++n;
                return true;
            });
            CHECK(n == 500 * requests.size());
        }
    }

    TEST_CASE("held input stops when asked") {
        invlog::batch::StagedInput staged;
        for (const auto& r : sample_requests()) staged.add(1, r);
        int seen = 0;
        staged.for_each([&](std::int64_t, invlog::app::Request&&) { return ++seen < 3; });
        CHECK(seen == 3);
    }
}
