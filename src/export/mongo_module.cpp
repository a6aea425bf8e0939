// Finding and opening the MongoDB module (see mongo_module.hpp).
#include "invlog/export/mongo_module.hpp"

#include "invlog/util/module.hpp"

namespace invlog::exporter {

const MongoModule& mongo_module() {
    using Entry = const MongoModule* (*)();
    static const MongoModule* module = reinterpret_cast<Entry>(util::module_entry(
        "invlog-mongo.so", "invlog_mongo_module", "no_mongo_module", "the MongoDB export module"))();
    return *module;
}

}  // namespace invlog::exporter
