// How an export may use its collections (see destination_use.hpp).
#include "invlog/export/destination_use.hpp"

#include <fmt/format.h>

#include "invlog/domain/error.hpp"

namespace invlog::exporter {
namespace {

// The collection a position key names, without its "?sku=" filter.
std::string collection_of(const std::string& key) { return key.substr(0, key.find('?')); }

}  // namespace

std::vector<std::string> check_destination_use(const DestinationUse& use,
                                               const std::vector<store::ExportPosition>& positions) {
    if (use.state) {
        if (*use.state == use.events)
            throw domain::usage_error(
                "shared_collection",
                fmt::format("the state documents of --with-state would go into {}, the collection of the events, "
                            "where a reader of events would take them for events; give --state-collection "
                            "another name",
                            use.events));
        for (const auto& p : positions)
            if (collection_of(p.destination) == *use.state)
                throw domain::usage_error(
                    "shared_collection",
                    fmt::format("the state documents of --with-state would go into {}, which holds the events of "
                                "an earlier export (position {} at seq {}); give --state-collection another name",
                                *use.state, p.destination, p.last_seq));
    }
    std::vector<std::string> rewritten;
    const auto setting = compat_setting(use.compat);
    const std::string_view wanted = compat_name(setting);
    for (const auto& p : positions) {
        if (collection_of(p.destination) != use.events || compat_name(p.compat) == wanted) continue;
        if (!use.from_start)
            throw domain::Failure(
                domain::ErrorKind::conflict, "export_mode_mismatch",
                fmt::format("{} was exported in {} mode (position {} at seq {}), and this export is in {} mode: "
                            "one collection never mixes the two; export to another collection, or empty this one "
                            "and run with --from-start, which rewrites it in {} mode",
                            use.events, compat_name(p.compat), p.destination, p.last_seq, wanted, wanted));
        rewritten.push_back(p.destination);
    }
    return rewritten;
}

}  // namespace invlog::exporter
