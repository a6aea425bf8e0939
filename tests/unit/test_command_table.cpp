// The command table: every domain command has exactly one row, the rows
// build the commands they name, and the shared rules hold for every adapter.
#include <doctest/doctest.h>

#include <set>

#include "invlog/app/command_table.hpp"
#include "invlog/domain/error.hpp"

using namespace invlog;
using app::CommandInput;
using app::FieldType;

namespace {

std::string spell(const app::FieldSpec* f) { return f ? std::string(f->key) : std::string("reason"); }

std::string refusal_code(const app::CommandSpec& spec, CommandInput input) {
    try {
        app::make_request(spec, std::move(input), spell);
    } catch (const domain::Failure& f) {
        return f.code();
    }
    return "accepted";
}

}  // namespace

TEST_SUITE("unit.command_table") {
    TEST_CASE("one row per domain command, each building the command it names") {
        std::set<std::string_view> names;
        for (const auto& spec : app::command_table()) {
            CHECK(names.insert(spec.name).second);
            app::FieldValues values;
            for (const auto& f : spec.fields) values.push_back(f.type == FieldType::delta ? -1 : 1);
            CHECK(domain::command_name(spec.build(values)) == spec.name);
            CHECK(app::find_command(spec.name) == &spec);
        }
        CHECK(names.size() == std::variant_size_v<domain::Command>);
        CHECK(app::find_command("bogus") == nullptr);
    }

    TEST_CASE("value rules by field type") {
        CHECK_FALSE(app::valid_value(FieldType::quantity, 0));
        CHECK(app::valid_value(FieldType::quantity, 1));
        CHECK(app::valid_value(FieldType::stock, 0));
        CHECK_FALSE(app::valid_value(FieldType::stock, -1));
        CHECK(app::valid_value(FieldType::delta, -5));
        CHECK_FALSE(app::valid_value(FieldType::delta, 0));
        CHECK_FALSE(app::valid_value(FieldType::quantity, 1'000'000'000'001));
        CHECK(app::value_rule(FieldType::delta).find("non-zero") != std::string::npos);
    }

    TEST_CASE("make_request: required fields, the reason rule, optional values") {
        const auto* create_row = app::find_command("create");
        REQUIRE(create_row);
        const auto& create = *create_row;
        CHECK(refusal_code(create, CommandInput{"A", {}, "t", {}, {}, {}}) == "missing_field");
        CHECK(refusal_code(create, CommandInput{"A", {5}, "t", {}, {}, {}}) == "accepted");
        auto request = app::make_request(create, CommandInput{"A", {5, std::nullopt}, "t", {}, 0, "k"}, spell);
        const auto* c = std::get_if<domain::Create>(&request.command);
        REQUIRE(c);
        CHECK(c->soh == 5);
        CHECK_FALSE(c->available);
        CHECK(request.expected_version == 0);
        CHECK(request.idempotency_key == "k");

        const auto* adjust_row = app::find_command("adjust");
        REQUIRE(adjust_row);
        const auto& adjust = *adjust_row;
        CHECK(refusal_code(adjust, CommandInput{"A", {-2}, "t", {}, {}, {}}) == "missing_reason");
        CHECK(refusal_code(adjust, CommandInput{"A", {-2}, "t", "count", {}, {}}) == "accepted");
    }
}
