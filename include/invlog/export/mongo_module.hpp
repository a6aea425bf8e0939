// The MongoDB C driver is loaded only when an export needs it. libmongoc
// initialises itself as soon as it is loaded (and creates a shared-memory
// file for its counters), so linking it into invlog would make every
// command, down to `reserve`, pay for it. The code that uses the driver is
// built into a module, invlog-mongo.so, which invlog opens with dlopen on
// first use; the module calls back into invlog's own code.
#pragma once

#include <string>

#include "invlog/domain/record.hpp"

namespace invlog::exporter {

struct SeedDocument;
struct MongoRun;
struct MongoRunOutput;

struct MongoModule {
    // Performs `export mongo` (see mongo_run.hpp).
    void (*export_mongo)(const MongoRun& run, const MongoRunOutput& output);
    // One event as a line of MongoDB Extended JSON v2 (relaxed).
    std::string (*extjson_line)(const domain::EventRecord& event);
    // One seed-compatible document as a line of Extended JSON v2 (relaxed).
    std::string (*seed_extjson_line)(const SeedDocument& document);
};

// The module's functions: already in the process (the test binary links
// them), else loaded from beside the executable or from the installed
// library directory. A storage Failure when it cannot be loaded.
const MongoModule& mongo_module();

}  // namespace invlog::exporter

// The module's one exported symbol.
extern "C" const invlog::exporter::MongoModule* invlog_mongo_module();
