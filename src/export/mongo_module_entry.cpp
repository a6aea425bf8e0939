// The entry point of the MongoDB module (see invlog/export/mongo_module.hpp).
#include "invlog/export/document.hpp"
#include "invlog/export/mongo_module.hpp"
#include "invlog/export/mongo_run.hpp"

namespace {

std::string extjson_line(const invlog::domain::EventRecord& e) {
    return invlog::exporter::relaxed_extjson(*invlog::exporter::event_document(e));
}

std::string seed_extjson_line(const invlog::exporter::SeedDocument& d) {
    return invlog::exporter::relaxed_extjson(*invlog::exporter::seed_document(d));
}

}  // namespace

extern "C" const invlog::exporter::MongoModule* invlog_mongo_module() {
    static const invlog::exporter::MongoModule module{&invlog::exporter::run_export_mongo, &extjson_line,
                                                      &seed_extjson_line};
    return &module;
}
