// The store fixtures: SQLite files in a temporary directory, and a new
// database of the run's jongodb for each MongoDB store.
#include "support/store_fixture.hpp"

#include <doctest/doctest.h>

#include <cstdlib>
#include <optional>

#include <unistd.h>

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

// Each store its own database (jongodb keeps them apart and small), named
// after the process so that two runs on one server never meet.
class MongoFixture final : public StoreFixture {
public:
    explicit MongoFixture(std::string uri) : m_uri(std::move(uri)) {}
    std::string name() const override { return "mongodb"; }
    std::unique_ptr<store::EventStore> open_empty() override {
        static int opened = 0;
        const std::string db = "store_" + std::to_string(::getpid()) + "_" + std::to_string(++opened);
        // mongodb://HOST:PORT/?replicaSet=rs0 -> mongodb://HOST:PORT/DB?replicaSet=rs0
        std::string uri = m_uri;
        const auto slash = uri.find("/?");
        uri = slash == std::string::npos ? uri + "/" + db : uri.substr(0, slash + 1) + db + uri.substr(slash + 1);
        return store::open_store(store::OpenOptions{uri, store::OpenMode::write, 1000, false});
    }

private:
    std::string m_uri;
};

// The server of this run, or nullopt.
std::optional<std::string> mongodb_uri() {
    const char* uri = std::getenv("INVLOG_TEST_MONGO_URI");
    if (!uri || !*uri) return std::nullopt;
    return std::string(uri);
}

}  // namespace

void for_each_backend(const std::function<void(StoreFixture&)>& body) {
    SUBCASE("sqlite") {
        SqliteFixture fixture;
        body(fixture);
    }
    if (auto uri = mongodb_uri()) {
        SUBCASE("mongodb") {
            MongoFixture fixture(*uri);
            body(fixture);
        }
    } else {
        static bool told = false;  // once per run, not once per case
        if (!told)
            MESSAGE(
                "store suite on MongoDB skipped: INVLOG_TEST_MONGO_URI is not set (jongodb is not installed: "
                "scripts/install-deps.sh)");
        told = true;
    }
}

}  // namespace invlog::testing
