// A load generator for `invlog serve`: N threads, each with one keep-alive
// cpp-httplib client, send requests for a number of seconds and record each
// latency. Prints one JSON object: requests, errors (non-2xx or failed),
// seconds, rate, p50_ms, p99_ms.
//   http_load PORT CLIENTS SECONDS reserve|get|healthz SKU
#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include <httplib.h>

int main(int argc, char** argv) {
    if (argc != 6) {
        std::fprintf(stderr, "usage: http_load PORT CLIENTS SECONDS reserve|get|healthz SKU\n");
        return 2;
    }
    const int port = std::atoi(argv[1]);
    const int clients = std::atoi(argv[2]);
    const double seconds = std::atof(argv[3]);
    const std::string mode = argv[4], sku = argv[5];
    using Clock = std::chrono::steady_clock;
    std::mutex mutex;
    std::vector<double> latencies;
    std::atomic<long> errors{0};
    const auto start = Clock::now();
    const auto deadline = start + std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(seconds));
    std::vector<std::thread> threads;
    for (int c = 0; c < clients; ++c) {
        threads.emplace_back([&] {
            httplib::Client client("127.0.0.1", port);
            client.set_keep_alive(true);
            client.set_decompress(false);  // no Accept-Encoding: the server answers plain JSON
            // cpp-httplib writes a request's headers and body apart: without
            // TCP_NODELAY, Nagle and delayed ACKs add 40 ms to every PATCH.
            client.set_tcp_nodelay(true);
            std::vector<double> mine;
            while (Clock::now() < deadline) {
                const auto t0 = Clock::now();
                auto send = [&]() {
                    if (mode == "reserve")
                        return client.Patch(("/inventory/" + sku + "/reserve").c_str(), "{\"quantity\":1}",
                                            "application/json");
                    if (mode == "get") return client.Get(("/inventory/" + sku).c_str());
                    return client.Get("/healthz");
                };
                const httplib::Result r = send();
                mine.push_back(std::chrono::duration<double, std::milli>(Clock::now() - t0).count());
                if (!r || r->status / 100 != 2) ++errors;
            }
            std::lock_guard lock(mutex);
            latencies.insert(latencies.end(), mine.begin(), mine.end());
        });
    }
    for (auto& t : threads) t.join();
    const double elapsed = std::chrono::duration<double>(Clock::now() - start).count();
    std::sort(latencies.begin(), latencies.end());
    auto pct = [&](double p) {
        return latencies.empty()
                   ? 0.0
                   : latencies[std::min(latencies.size() - 1, static_cast<std::size_t>(p * latencies.size()))];
    };
    std::printf("{\"requests\":%zu,\"errors\":%ld,\"seconds\":%.3f,\"rate\":%.1f,\"p50_ms\":%.3f,\"p99_ms\":%.3f}\n",
                latencies.size(), errors.load(), elapsed, static_cast<double>(latencies.size()) / elapsed, pct(0.50),
                pct(0.99));
    return 0;
}
