// A deterministic mix of write commands over a few SKUs, run through the
// application layer with a fake clock, so that store tests can build the same
// log in several files and compare their answers.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "invlog/app/service.hpp"
#include "invlog/domain/error.hpp"
#include "invlog/store/event_store.hpp"
#include "invlog/store/sqlite_store.hpp"

namespace invlog::testing {

// Opens a file for writing without waiting for the disk on each commit:
// tests need the data, not its durability.
inline std::unique_ptr<store::SqliteStore> open_fast(const std::string& path) {
    auto s = std::make_unique<store::SqliteStore>(store::OpenOptions{path, store::OpenMode::write});
    s->connection().exec("PRAGMA synchronous = OFF");
    return s;
}

inline constexpr domain::Millis workload_start = 1'780'000'000'000;  // 2026-05-28

// Runs `commands` commands (the decider's refusals are part of the mix and
// append nothing). The clock advances one second per command, but stands
// still every fourth one so that some events share a recorded_at. Returns
// the clock after the last command.
inline domain::Millis run_workload(store::EventStore& store, int commands, std::uint32_t seed = 7) {
    const std::vector<std::string> skus = {"A", "B-2", "C/3"};
    domain::Millis now = workload_start;
    std::uint32_t x = seed;
    auto next = [&](std::uint32_t n) {
        x = x * 1664525u + 1013904223u;
        return (x >> 8) % n;
    };
    auto run = [&](const std::string& sku, domain::Command command, std::optional<std::string> key = {}) {
        app::Request r{sku, command, "tester", std::nullopt, std::nullopt, key};
        try {
            app::execute(store, r, [&] { return now; });
        } catch (const domain::Failure&) {
            // A refusal: nothing appended, which is what the mix wants too.
        }
    };
    for (const auto& sku : skus) run(sku, domain::Create{100, std::nullopt});
    for (int i = 0; i < commands; ++i) {
        if (i % 4 != 3) now += 1000;
        const std::string& sku = skus[next(3)];
        const domain::Qty q = 1 + next(20);
        switch (next(8)) {
        case 0: run(sku, domain::Reserve{q}); break;
        case 1: run(sku, domain::Complete{q}); break;
        case 2: run(sku, domain::Release{q}); break;
        case 3: run(sku, domain::Receive{q}, "key-" + std::to_string(i)); break;
        case 4: run(sku, domain::Adjust{next(2) ? q : -q}); break;
        case 5: run(sku, domain::SetSoh{50 + q, std::nullopt}); break;
        case 6: run(sku, domain::SetAvailable{q}); break;
        default: run(sku, domain::Reserve{q}); break;
        }
    }
    return now;
}

}  // namespace invlog::testing
