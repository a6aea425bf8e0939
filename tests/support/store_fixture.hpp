// The backends the store suite runs on, behind one fixture interface, so that
// the cases that need only the store interface (event_store.hpp) are written
// once and run on each backend: SQLite always; MongoDB when the test run
// gives a server (INVLOG_TEST_MONGO_URI, set by tests/support/jongodb.sh),
// else reported as skipped.
#pragma once

#include <functional>
#include <memory>
#include <string>

#include "invlog/store/event_store.hpp"

namespace invlog::testing {

class StoreFixture {
public:
    virtual ~StoreFixture() = default;
    virtual std::string name() const = 0;
    // A new, empty store of this backend (a new file, a new database), opened
    // for writing through store::open_store as the commands open theirs.
    virtual std::unique_ptr<store::EventStore> open_empty() = 0;
};

// Runs the body once per available backend, each in its own doctest SUBCASE
// named after the backend; a backend that is not available is reported with
// a MESSAGE saying why.
void for_each_backend(const std::function<void(StoreFixture&)>& body);

}  // namespace invlog::testing
