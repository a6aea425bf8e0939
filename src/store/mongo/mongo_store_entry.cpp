// The MongoDB store's entry in the module invlog-mongo.so, which
// store::open_store finds with util::module_entry (no other symbol of the
// module is needed to open a store).
#include "invlog/store/mongo/mongo_store.hpp"

extern "C" invlog::store::EventStore* invlog_mongo_open_store(const invlog::store::OpenOptions& options) {
    return new invlog::store::mongo::MongoStore(options);
}
