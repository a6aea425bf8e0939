// The store fixtures: SQLite files in a temporary directory, and the reason
// the MongoDB one is skipped.
#include "support/store_fixture.hpp"

#include <doctest/doctest.h>

#include <cstdlib>
#include <optional>

#include "support/temp_dir.hpp"

namespace invlog::testing {

namespace {

class SqliteFixture final : public StoreFixture {
public:
    std::string name() const override { return "sqlite"; }
    std::unique_ptr<store::EventStore> open_empty() override {
        auto path = m_dir.file("inv" + std::to_string(++m_opened) + ".db");
        return store::open_store(store::OpenOptions{path, store::OpenMode::write, 1000, false});
    }

private:
    TempDir m_dir;
    int m_opened = 0;
};

// Why the store suite cannot run on MongoDB in this run; nullopt when it can.
std::optional<std::string> mongodb_skipped() {
    const char* uri = std::getenv("INVLOG_TEST_MONGO_URI");
    if (!uri || !*uri) return "INVLOG_TEST_MONGO_URI is not set (jongodb is not installed: scripts/install-deps.sh)";
    return "this build has no MongoDB store (store::open_store refuses mongodb:// locations)";
}

}  // namespace

void for_each_backend(const std::function<void(StoreFixture&)>& body) {
    SUBCASE("sqlite") {
        SqliteFixture fixture;
        body(fixture);
    }
    if (auto why = mongodb_skipped()) {
        static bool told = false;  // once per run, not once per case
        if (!told) MESSAGE("store suite on MongoDB skipped: " << *why);
        told = true;
    }
}

}  // namespace invlog::testing
