// Performing `export mongo`: built into the MongoDB module (see
// invlog/export/mongo_module.hpp), since it drives libmongoc.
#include "invlog/export/mongo_run.hpp"

#include "invlog/export/mongo_target.hpp"

namespace invlog::exporter {

void run_export_mongo(const MongoRun& run, const MongoRunOutput& output) {
    const MongoTarget target(run.uri, run.database, run.collection);
    auto store = run.open_store();
    auto summary = export_to_mongo(*store, target, run.options, output.hooks);
    output.summary(summary_line(summary, target.shown(), run.options.dry_run));
}

}  // namespace invlog::exporter
