// The anchor of the serve figures: single durable commits in-process. One
// `reserve` after another through app::execute on a real file, each in its
// own transaction with its own fsync (synchronous=FULL, as the CLI commits):
// what invlog's core does per second without HTTP and without group commit,
// and how long one such commit takes.
//   durable_commits FILE N   -> prints {"rate": commits per second, "p50_ms", "p99_ms"}
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <vector>

#include "invlog/app/service.hpp"
#include "invlog/store/event_store.hpp"
#include "invlog/store/sqlite_store.hpp"
#include "invlog/util/time.hpp"

using namespace invlog;

int main(int argc, char** argv) {
    if (argc != 3) {
        std::fprintf(stderr, "usage: durable_commits FILE N\n");
        return 2;
    }
    const long n = std::atol(argv[2]);
    if (n < 1) {
        std::fprintf(stderr, "durable_commits: N must be at least 1\n");
        return 2;
    }
    store::SqliteStore store(store::OpenOptions{argv[1], store::OpenMode::write});
    auto request = [](domain::Command c) {
        return app::Request{"HOT", c, "bench", std::nullopt, std::nullopt, std::nullopt};
    };
    app::execute(store, request(domain::Create{1'000'000'000, std::nullopt}), util::now_ms);
    using Clock = std::chrono::steady_clock;
    std::vector<double> latencies;
    latencies.reserve(static_cast<std::size_t>(n));
    const auto start = Clock::now();
    for (long i = 0; i < n; ++i) {
        const auto t0 = Clock::now();
        app::execute(store, request(domain::Reserve{1}), util::now_ms);
        latencies.push_back(std::chrono::duration<double, std::milli>(Clock::now() - t0).count());
    }
    const double seconds = std::chrono::duration<double>(Clock::now() - start).count();
    std::sort(latencies.begin(), latencies.end());
    // The same percentile as bench/http_load.cpp's.
    auto at = [&](double p) {
        return latencies[std::min(latencies.size() - 1, static_cast<std::size_t>(p * latencies.size()))];
    };
    std::printf("{\"rate\": %.1f, \"p50_ms\": %.3f, \"p99_ms\": %.3f}\n", static_cast<double>(n) / seconds, at(0.5),
                at(0.99));
    return 0;
}
