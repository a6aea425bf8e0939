// Finding and opening the MongoDB module (see mongo_module.hpp).
#include "invlog/export/mongo_module.hpp"

#include <string>

#include "invlog/domain/error.hpp"
#include "invlog/util/module.hpp"

namespace invlog::exporter {

const MongoModule& mongo_module() {
    using Entry = const MongoModule* (*)();
    // The module is packaged apart (invlog-mongo), so that invlog alone does
    // not pull libmongoc in: missing, it is most likely not installed.
    static const MongoModule* module = [] {
        std::string why;
        void* entry = util::module_entry("invlog-mongo.so", "invlog_mongo_module", why);
        if (!entry)
            throw domain::Failure(domain::ErrorKind::storage, "no_mongo_module",
                                  "the MongoDB export module " + why + ": install the invlog-mongo package");
        return reinterpret_cast<Entry>(entry)();
    }();
    return *module;
}

}  // namespace invlog::exporter
