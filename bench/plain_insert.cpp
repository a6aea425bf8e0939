// The import anchor: inserts N event rows into a new file with invlog's own
// schema (same columns and indexes), through one prepared statement in one
// transaction, with no domain logic, no hashing and no JSON. This is about the
// fastest way SQLite can take the same rows.
//   plain_insert FILE N SKUS
#include <sqlite3.h>

#include <cstdio>
#include <cstdlib>
#include <string>

#include "invlog/store/schema.hpp"
#include "invlog/store/sqlite.hpp"

int main(int argc, char** argv) {
    if (argc != 4) {
        std::fprintf(stderr, "usage: plain_insert FILE N SKUS\n");
        return 2;
    }
    const long n = std::atol(argv[2]);
    const long skus = std::atol(argv[3]);
    invlog::store::Connection conn(argv[1], true);
    conn.exec("PRAGMA journal_mode = WAL");
    conn.exec("PRAGMA synchronous = FULL");
    conn.exec("PRAGMA cache_size = -32768");  // the page cache invlog's writers use
    conn.exec("BEGIN IMMEDIATE");
    invlog::store::create_schema(conn);
    auto insert = conn.prepare(
        "INSERT INTO events (seq, event_id, sku, version, event_type, data, recorded_at, actor, reason, "
        "command_id, idempotency_key, hash) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, NULL, ?9, NULL, ?10)");
    const std::uint8_t hash[32] = {1, 2, 3};
    char id[48];  // room for any long, so that -Wformat-truncation (-O2 -Werror) holds
    for (long i = 1; i <= n; ++i) {
        const long sku = i % skus;
        std::snprintf(id, sizeof id, "00000000-0000-4000-8000-%012ld", i);
        insert.reset();
        insert.bind(1, std::int64_t{i})
            .bind(2, std::string_view(id))
            .bind(3, "SKU-" + std::to_string(sku))
            .bind(4, std::int64_t{i / skus + 1})
            .bind(5, "STOCK_RECEIVED")
            .bind(6, R"({"quantity":1})")
            .bind(7, std::int64_t{1'795'773'600'000} + i)
            .bind(8, "bench")
            .bind(9, std::string_view(id))
            .bind_blob(10, hash);
        insert.run();
    }
    conn.exec("COMMIT");
    return 0;
}
