// Finding and opening the MongoDB module (see mongo_module.hpp).
#include "invlog/export/mongo_module.hpp"

#include "invlog/util/module.hpp"

namespace invlog::exporter {

const MongoModule& mongo_module() {
    using Entry = const MongoModule* (*)();
    // The module is packaged apart (invlog-mongo), so that invlog alone does
    // not pull libmongoc in: missing, it is most likely not installed.
    static const MongoModule* module =
        reinterpret_cast<Entry>(util::module_entry("invlog-mongo.so", "invlog_mongo_module", "no_mongo_module",
                                                   "the MongoDB export module", "install the invlog-mongo package"))();
    return *module;
}

}  // namespace invlog::exporter
