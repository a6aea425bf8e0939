// The held-back output of apply --atomic: memory first, then an unlinked
// temporary file, drained in order either way.
#include <doctest/doctest.h>

#include <cstdlib>
#include <filesystem>
#include <optional>

#include "invlog/cli/spool.hpp"
#include "invlog/domain/error.hpp"
#include "support/temp_dir.hpp"

using invlog::cli::Spool;

namespace {

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

TEST_SUITE("store spool") {
    TEST_CASE("small output stays in memory") {
        Spool spool(1024);
        spool.add("a\n");
        spool.add("b\n");
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
}
