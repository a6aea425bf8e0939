// invlog export mongo [--uri URI] [--database NAME] [--collection NAME] [--compat seed] [--batch N] [--sku SKU]
//                     [--from-start] [--follow [--interval SECONDS]] [--with-state] [--dry-run]
#include <CLI/CLI.hpp>


#include "invlog/cli/export_commands.hpp"
#include "invlog/domain/error.hpp"
#include "invlog/export/mongo_module.hpp"
#include "invlog/store/event_store.hpp"

namespace invlog::cli {
Perform describe_export_mongo(CLI::App& app) {
    auto args = std::make_shared<ExportMongoArgs>();
    app.add_option("--uri", args->uri,
                   "MongoDB connection string (default: $INVLOG_MONGO_URI, which keeps a password out of ps and "
                   "shell history)")
        ->type_name("URI");
    app.add_option("--database", args->database, "Database (default: the URI's database, else inventory)")
        ->type_name("NAME");
    app.add_option("--collection", args->collection,
                   "Collection of the events (default: events; inventory with --compat seed)")
        ->type_name("NAME");
    app.add_option("--state-collection", args->state_collection,
                   "Collection of the SKU states written by --with-state, never the events' (default: "
                   "inventory_state)")
        ->type_name("NAME");
    app.add_option("--compat", args->compat,
                   "seed: documents the reference service's replay reads (its seven event types, split where "
                   "needed); native: invlog's own events (default native). Recorded with the position")
        ->type_name("MODE");
    app.add_option("--batch", args->batch, "Events per bulk write, 1 to 100000 (default: 1000)")->type_name("N");
    app.add_option("--sku", args->sku, "Only the events of this SKU (with its own export position)")
        ->type_name("SKU");
    app.add_flag("--from-start", args->from_start, "Export every event again, whatever the stored position");
    auto* follow = app.add_flag("--follow", args->follow,
                                "Keep running and ship new events as they are appended; stop on SIGINT or SIGTERM "
                                "after the batch in flight");
    app.add_option("--interval", args->interval, "With --follow: seconds between looks at the log (default: 1)")
        ->type_name("SECONDS")
        ->needs(follow);
    app.add_flag("--with-state", args->with_state,
                 "Also upsert the state of each exported SKU into the state collection");
    app.add_flag("--dry-run", args->dry_run, "Count what would be exported; contact no server, change nothing")
        ->excludes(follow);
    // The work needs the MongoDB driver, which lives in a module loaded now.
    return [args](Context& ctx) {
        // The log already is in MongoDB; its export positions would be kept
        // in the very deployment the export writes to.
        if (store::is_mongodb_uri(ctx.db_path()))
            throw domain::usage_error("file_only_command",
                                      "'invlog export mongo' exports a database file; --db names a MongoDB store");
        exporter::mongo_module().export_mongo(ctx, *args);
    };
}

}  // namespace invlog::cli
