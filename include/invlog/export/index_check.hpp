// The indexes the export relies on and how an index already on the
// collection stands against them. MongoDB refuses to create an index whose
// name or key an existing index already has with other options
// (IndexOptionsConflict, IndexKeySpecsConflict); the export then looks at the
// existing indexes to tell a harmless twin (the same unique index under
// another name) from one that would leave it without its unique guarantee.
// Pure; no driver.
#pragma once

#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "invlog/export/compat.hpp"

namespace invlog::exporter {

struct IndexSpec {
    std::string name;
    std::vector<std::pair<std::string, int>> key;  // field and direction, in order
    bool unique = false;
    bool partial = false;  // has a partialFilterExpression: unique only where it matches
};

// {sku: 1, version: 1} and {seq: 1}, both unique: one document per SKU
// version, and one event per seq, so that a collection never mixes two logs.
// In seed mode an event may be split into parts: {sku: 1, version: 1,
// part: 1} and {seq: 1, part: 1}.
const std::vector<IndexSpec>& required_indexes(Compat compat = Compat::native);

// Seed mode: a unique index of the native export ({seq: 1} or {sku: 1,
// version: 1}) would refuse the second document of a split event; a message
// naming it and how to clear the way, nullopt when there is none.
std::optional<std::string> mode_index_conflict(Compat compat, const std::vector<IndexSpec>& existing,
                                               const std::string& database, const std::string& collection);

// "{sku: 1, version: 1}"
std::string show_key(const IndexSpec& index);

// What is wrong with the existing indexes of database.collection for
// `wanted`, after the server refused to create it because of a conflict:
// nullopt when one of them is `wanted` under another name (nothing to do),
// else a message naming the collection, the index in the way and what to do.
std::optional<std::string> index_conflict(const IndexSpec& wanted, const std::vector<IndexSpec>& existing,
                                          const std::string& database, const std::string& collection);

}  // namespace invlog::exporter
