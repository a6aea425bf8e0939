// The data column codec: what invlog writes decodes on the fast path, and
// anything else valid decodes the same way through the full JSON parser.
#include <doctest/doctest.h>

#include "invlog/store/codec.hpp"

using namespace invlog;

namespace {

std::vector<domain::Field> fields_of(std::string_view type, std::string_view data) {
    auto e = store::decode_data(type, data);
    REQUIRE(e.has_value());
    return domain::event_fields(*e);
}

}  // namespace

TEST_SUITE("unit.codec") {
    TEST_CASE("encode then decode") {
        domain::Event e = domain::InventoryCreated{10, 7, 0};
        CHECK(store::encode_data(e) == R"({"soh":10,"available_quantity":7,"reserved":0})");
        CHECK(fields_of("INVENTORY_CREATED", store::encode_data(e)) == domain::event_fields(e));
        CHECK(fields_of("STOCK_ADJUSTED", R"({"quantity":-9007199254740991})") ==
              std::vector<domain::Field>{{"quantity", -9007199254740991}});
    }

    TEST_CASE("other valid JSON decodes the same") {
        CHECK(fields_of("STOCK_RESERVED", R"( { "reserved" : 3 } )") ==
              fields_of("STOCK_RESERVED", R"({"reserved":3})"));
        CHECK(fields_of("STOCK_RECEIVED", R"({"quantity":5,"extra":"x"})") ==
              std::vector<domain::Field>{{"quantity", 5}});
        CHECK(fields_of("STOCK_ADJUSTED", R"({"quantity":-0})") == std::vector<domain::Field>{{"quantity", 0}});
    }

    TEST_CASE("what does not decode") {
        for (std::string bad : {"", "{}", "[]", "{\"reserved\":1.5}", "{\"reserved\":\"3\"}", "{\"reserved\":01}",
                                "{\"reserved\":9223372036854775808}", "{\"reserved\":1", "{\"reserved\":true}",
                                "{\"quantity\":3}", "nul"}) {
            CAPTURE(bad);
            CHECK_FALSE(store::decode_data("STOCK_RESERVED", bad).has_value());
        }
        CHECK_FALSE(store::decode_data("UNKNOWN", R"({"reserved":1})").has_value());
    }
}
