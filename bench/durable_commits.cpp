// The anchor of the serve figures: single durable commits in-process. One
// `reserve` after another through app::execute on a real file, each in its
// own transaction with its own fsync (synchronous=FULL, as the CLI commits):
// what invlog's core does per second without HTTP and without group commit.
//   durable_commits FILE N   -> prints commits per second
#include <chrono>
#include <cstdio>
#include <cstdlib>

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
    store::SqliteStore store(store::OpenOptions{argv[1], store::OpenMode::write});
    auto request = [](domain::Command c) {
        return app::Request{"HOT", c, "bench", std::nullopt, std::nullopt, std::nullopt};
    };
    app::execute(store, request(domain::Create{1'000'000'000, std::nullopt}), util::now_ms);
    const auto start = std::chrono::steady_clock::now();
    for (long i = 0; i < n; ++i) app::execute(store, request(domain::Reserve{1}), util::now_ms);
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    std::printf("%.1f\n", static_cast<double>(n) / seconds);
    return 0;
}
