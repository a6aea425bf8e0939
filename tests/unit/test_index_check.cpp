// How the export judges the indexes already on a collection when MongoDB
// refuses to create one of its unique indexes.
#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "invlog/export/index_check.hpp"

namespace ex = invlog::exporter;

namespace {

const ex::IndexSpec& wanted(const std::string& name) {
    for (const auto& index : ex::required_indexes())
        if (index.name == name) return index;
    FAIL("no required index " << name);
    return ex::required_indexes().front();  // not reached: FAIL throws
}

std::string conflict(const std::string& name, const std::vector<ex::IndexSpec>& existing) {
    return ex::index_conflict(wanted(name), existing, "shop", "log").value_or("");
}

const ex::IndexSpec id_index{"_id_", {{"_id", 1}}, false, false};

}  // namespace

TEST_SUITE("unit.export.indexes") {
    TEST_CASE("both required indexes are unique, on the documented keys") {
        REQUIRE(ex::required_indexes().size() == 2);
        CHECK(ex::show_key(wanted("sku_1_version_1")) == "{sku: 1, version: 1}");
        CHECK(ex::show_key(wanted("seq_1")) == "{seq: 1}");
        for (const auto& index : ex::required_indexes()) CHECK(index.unique);
    }

    TEST_CASE("the same unique index under another name is accepted") {
        CHECK_FALSE(
            ex::index_conflict(wanted("seq_1"), {id_index, {"by_seq", {{"seq", 1}}, true, false}}, "shop", "log"));
        CHECK_FALSE(ex::index_conflict(wanted("sku_1_version_1"), {{"sv", {{"sku", 1}, {"version", 1}}, true, false}},
                                       "shop", "log"));
    }

    TEST_CASE("a non-unique index on the key is refused, naming it and how to drop it") {
        auto message =
            conflict("sku_1_version_1", {id_index, {"sku_1_version_1", {{"sku", 1}, {"version", 1}}, false, false}});
        CHECK(message.find("the collection shop.log has an index sku_1_version_1 on {sku: 1, version: 1} that is not "
                           "unique") != std::string::npos);
        CHECK(message.find("db.getSiblingDB(\"shop\").getCollection(\"log\").dropIndex(\"sku_1_version_1\")") !=
              std::string::npos);
        message = conflict("seq_1", {{"mine", {{"seq", 1}}, false, false}});
        CHECK(message.find("index mine on {seq: 1} that is not unique") != std::string::npos);
        CHECK(message.find("dropIndex(\"mine\")") != std::string::npos);
    }

    TEST_CASE("a unique index that holds only where a filter matches is not enough") {
        auto message = conflict("seq_1", {{"seq_1", {{"seq", 1}}, true, true}});
        CHECK(message.find("that is not unique for every document") != std::string::npos);
    }

    TEST_CASE("the name taken by an index on another key is refused, naming both keys") {
        auto message = conflict("seq_1", {{"seq_1", {{"sku", 1}}, false, false}});
        CHECK(message.find("has an index named seq_1 on {sku: 1}, where the export needs a unique index of that name "
                           "on {seq: 1}") != std::string::npos);
        // The key order matters: {version: 1, sku: 1} is another index.
        message = conflict("sku_1_version_1", {{"sku_1_version_1", {{"version", 1}, {"sku", 1}}, true, false}});
        CHECK(message.find("on {version: 1, sku: 1}, where") != std::string::npos);
    }

    TEST_CASE("a conflict with nothing in the way still refuses") {
        CHECK(conflict("seq_1", {id_index}).find("refused the unique index seq_1") != std::string::npos);
    }
}
