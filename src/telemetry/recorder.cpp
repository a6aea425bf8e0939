// The span buffer and its sending thread (see recorder.hpp).
#include "invlog/telemetry/recorder.hpp"

#include <pthread.h>
#include <signal.h>

#include <condition_variable>
#include <mutex>
#include <thread>

#include "invlog/telemetry/otlp.hpp"

namespace invlog::telemetry {
namespace {

constexpr std::size_t max_buffered = 4096;  // beyond, spans are dropped: memory stays bounded
constexpr std::size_t max_batch = 512;
constexpr auto send_interval = std::chrono::milliseconds(500);
constexpr auto post_timeout = std::chrono::milliseconds(2000);

using Steady = std::chrono::steady_clock;

struct Recorder {
    Config config;
    PostFunction post = nullptr;
    EncodeFunction protobuf = nullptr;
    ErrorFunction on_error;

    std::mutex mutex;
    std::condition_variable wake;      // the thread: a batch is full, or stop
    std::condition_variable finished;  // shutdown: the thread is done
    std::vector<SpanData> buffer;
    bool stopping = false;
    bool done = false;
    bool abandoned = false;  // shutdown stopped waiting: report nothing more
    bool reported = false;
    Steady::time_point deadline;
    std::thread thread;
};

// Never freed: a thread abandoned at shutdown may still use it while the
// process exits.
Recorder* g_recorder = nullptr;
std::atomic<std::uint64_t> g_dropped{0};

void send(Recorder& r, const std::vector<SpanData>& batch, std::chrono::milliseconds timeout) {
    PostRequest request;
    request.url = r.config.url;
    request.headers = r.config.headers;
    request.timeout = timeout;
    if (r.config.protocol == Protocol::json) {
        request.content_type = "application/json";
        request.body = otlp_json(r.config.resource, batch);
    } else {
        request.content_type = "application/x-protobuf";
        request.body = r.protobuf(r.config.resource, batch);
    }
    const std::string error = r.post(request);
    if (error.empty()) return;
    std::lock_guard lock(r.mutex);
    if (r.reported || r.abandoned) return;
    r.reported = true;
    if (r.on_error) r.on_error(error);
}

void run(Recorder& r) {
    for (;;) {
        std::vector<SpanData> batch;
        std::chrono::milliseconds timeout = post_timeout;
        {
            std::unique_lock lock(r.mutex);
            r.wake.wait_for(lock, send_interval, [&] { return r.stopping || r.buffer.size() >= max_batch; });
            const auto now = Steady::now();
            if (r.buffer.empty() || (r.stopping && now >= r.deadline)) {
                if (!r.stopping) continue;
                r.done = true;
                r.finished.notify_all();
                return;
            }
            const std::size_t n = std::min(max_batch, r.buffer.size());
            batch.assign(std::make_move_iterator(r.buffer.begin()), std::make_move_iterator(r.buffer.begin() + n));
            r.buffer.erase(r.buffer.begin(), r.buffer.begin() + n);
            if (r.stopping)
                timeout = std::max(std::chrono::milliseconds(1),
                                   std::chrono::duration_cast<std::chrono::milliseconds>(r.deadline - now));
        }
        send(r, batch, timeout);
    }
}

}  // namespace

void start(Config config, PostFunction post, EncodeFunction protobuf, ErrorFunction on_error) {
    if (g_recorder || !config.enabled || !post) return;
    if (config.protocol == Protocol::protobuf && !protobuf) return;
    auto* r = new Recorder;
    r->config = std::move(config);
    r->post = post;
    r->protobuf = protobuf;
    r->on_error = std::move(on_error);
    // The thread takes no signal: `invlog serve` waits for SIGTERM and SIGINT
    // with sigwait once its own threads block them, and a thread started
    // before that must not receive them instead (their default action would
    // end the process without a clean stop).
    sigset_t all, previous;
    sigfillset(&all);
    pthread_sigmask(SIG_BLOCK, &all, &previous);
    r->thread = std::thread([r] { run(*r); });
    pthread_sigmask(SIG_SETMASK, &previous, nullptr);
    g_recorder = r;
    detail::g_enabled.store(true, std::memory_order_relaxed);
}

void shutdown(std::chrono::milliseconds wait) {
    Recorder* r = g_recorder;
    if (!r) return;
    detail::g_enabled.store(false, std::memory_order_relaxed);
    std::unique_lock lock(r->mutex);
    if (r->stopping) return;
    r->stopping = true;
    r->deadline = Steady::now() + wait;
    r->wake.notify_all();
    const bool ended = r->finished.wait_for(lock, wait, [&] { return r->done; });
    r->abandoned = !ended;
    lock.unlock();
    if (ended)
        r->thread.join();
    else
        r->thread.detach();
}

void record(SpanData&& span) {
    Recorder* r = g_recorder;
    if (!r) return;
    std::lock_guard lock(r->mutex);
    if (r->done || r->buffer.size() >= max_buffered) {
        g_dropped.fetch_add(1, std::memory_order_relaxed);
        return;
    }
    r->buffer.push_back(std::move(span));
    if (r->buffer.size() == max_batch) r->wake.notify_one();
}

std::uint64_t dropped() { return g_dropped.load(std::memory_order_relaxed); }

}  // namespace invlog::telemetry
