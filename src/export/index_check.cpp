// Telling a harmless index conflict from one that takes away a unique
// guarantee, and what to tell the operator.
#include "invlog/export/index_check.hpp"

#include <fmt/format.h>

namespace invlog::exporter {
namespace {

std::string drop_hint(const std::string& database, const std::string& collection, const std::string& index) {
    return fmt::format("in mongosh: db.getSiblingDB(\"{}\").getCollection(\"{}\").dropIndex(\"{}\")", database,
                       collection, index);
}

std::string purpose(const IndexSpec& index) {
    return index.key[0].first == "seq"
               ? "one document per seq, so that the collection never mixes the events of two logs"
               : "one document per SKU and version";
}

}  // namespace

const std::vector<IndexSpec>& required_indexes(Compat compat) {
    static const std::vector<IndexSpec> native = {
        {"sku_1_version_1", {{"sku", 1}, {"version", 1}}, true, false},
        {"seq_1", {{"seq", 1}}, true, false},
    };
    static const std::vector<IndexSpec> seed = {
        {"sku_1_version_1_part_1", {{"sku", 1}, {"version", 1}, {"part", 1}}, true, false},
        {"seq_1_part_1", {{"seq", 1}, {"part", 1}}, true, false},
    };
    return compat == Compat::seed ? seed : native;
}

std::optional<std::string> mode_index_conflict(Compat compat, const std::vector<IndexSpec>& existing,
                                               const std::string& database, const std::string& collection) {
    if (compat != Compat::seed) return std::nullopt;
    for (const auto& index : existing)
        for (const auto& native : required_indexes(Compat::native))
            if (index.unique && index.key == native.key)
                return fmt::format(
                    "the collection {}.{} has the unique index {} on {} of a native export, which refuses the "
                    "second document of an event that --compat seed splits; export to another collection, or "
                    "empty this one, drop that index ({}) and run the export again with --from-start",
                    database, collection, index.name, show_key(index), drop_hint(database, collection, index.name));
    return std::nullopt;
}

std::string show_key(const IndexSpec& index) {
    std::string out = "{";
    for (const auto& [field, direction] : index.key)
        out += fmt::format("{}{}: {}", out.size() > 1 ? ", " : "", field, direction);
    return out + "}";
}

std::optional<std::string> index_conflict(const IndexSpec& wanted, const std::vector<IndexSpec>& existing,
                                          const std::string& database, const std::string& collection) {
    const IndexSpec* same_key = nullptr;
    const IndexSpec* same_name = nullptr;
    for (const auto& index : existing) {
        if (index.key == wanted.key) {
            if (index.unique == wanted.unique && !index.partial) return std::nullopt;  // the same, named otherwise
            same_key = &index;
        }
        if (index.name == wanted.name) same_name = &index;
    }
    const std::string where = fmt::format("{}.{}", database, collection);
    if (same_key)
        return fmt::format(
            "the collection {} has an index {} on {} that is not unique{}, but the export needs a unique one ({}); "
            "drop that index ({}) and run the export again, which creates it unique",
            where, same_key->name, show_key(wanted), same_key->unique ? " for every document" : "", purpose(wanted),
            drop_hint(database, collection, same_key->name));
    if (same_name)
        return fmt::format(
            "the collection {} has an index named {} on {}, where the export needs a unique index of that name on {} "
            "({}); drop that index ({}) and run the export again",
            where, wanted.name, show_key(*same_name), show_key(wanted), purpose(wanted),
            drop_hint(database, collection, wanted.name));
    return fmt::format(
        "the collection {} refused the unique index {} on {}, but none of its indexes is in the way; "
        "check them and run the export again",
        where, wanted.name, show_key(wanted));
}

}  // namespace invlog::exporter
