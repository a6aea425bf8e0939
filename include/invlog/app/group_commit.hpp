// Group commit: write requests that arrive while the writer is busy are
// committed together, in one transaction and one fsync, each in a savepoint
// of its own so that a refused request rolls back only itself. A request is
// answered only after the transaction that holds it has committed. When the
// store refuses the commit because another writer moved its head meanwhile
// (write_conflict: MongoDB shared by several servers), the whole batch is
// run again, each request decided anew, a bounded number of times.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <functional>
#include <future>
#include <mutex>
#include <thread>
#include <vector>

#include "invlog/app/service.hpp"
#include "invlog/store/event_store.hpp"
#include "invlog/telemetry/context.hpp"

namespace invlog::app {

struct GroupCommitOptions {
    std::size_t max_batch = 256;   // requests in one transaction at most
    std::size_t max_queue = 1024;  // waiting requests at most; beyond, refused as overloaded
};

// What one committed (or failed) transaction looked like, for metrics.
struct BatchReport {
    std::size_t requests = 0;
    std::size_t failed = 0;  // requests refused inside it (rolled back to their savepoint)
    int attempts = 0;        // transactions run for it: 1, more after write conflicts
    bool committed = false;
    std::chrono::steady_clock::duration commit_time{};  // COMMIT, which includes the fsync
    std::int64_t head_seq = 0;
};

class GroupCommitter {
public:
    // Work runs inside the group's write transaction, in its own savepoint,
    // with the time the request is recorded at.
    using Work = std::function<void(store::EventStore& store, domain::Millis now)>;

    // Takes over the store: only the writer thread uses it from now on.
    GroupCommitter(store::EventStore& store, Clock clock, GroupCommitOptions options = {},
                   std::function<void(const BatchReport&)> on_batch = {});
    ~GroupCommitter();
    GroupCommitter(const GroupCommitter&) = delete;
    GroupCommitter& operator=(const GroupCommitter&) = delete;

    // Runs work in the next group transaction and returns once that
    // transaction has committed. Throws what work threw (its savepoint rolled
    // back, the others unaffected), a storage Failure when the transaction
    // could not commit (nothing of it is recorded; "write_conflict" once
    // max_write_attempts transactions lost to other writers), or a storage
    // Failure with code "overloaded" when max_queue requests are already
    // waiting or the committer is stopping. Work may run more than once,
    // each time in a new transaction after the last one was refused whole:
    // it must set what it reports afresh on each run; only the run whose
    // transaction committed is answered.
    void run(Work work);

    // Refuses new work, lets the queued work commit, and joins the writer.
    void stop();

    // Requests waiting for the writer (not those in the transaction now).
    std::size_t queued() const;

    // The seq of the last committed event (0 for an empty log).
    std::int64_t head_seq() const;
    // Waits until the head seq is past `seq`, the timeout passes or stop()
    // is called; returns the head seq then.
    std::int64_t wait_past(std::int64_t seq, std::chrono::milliseconds timeout) const;

private:
    struct Job {
        Work work;
        std::promise<void> done;
        // The caller's span: the work's spans (load, decide, append) are
        // its children, and the batch's span links to it.
        std::optional<telemetry::SpanContext> span;
    };
    void writer_loop();
    void commit_batch(std::deque<Job>& batch);
    // One transaction of the batch; throws when it did not commit.
    void commit_attempt(std::deque<Job>& batch, std::vector<std::exception_ptr>& errors, BatchReport& report);

    store::EventStore& m_store;
    Clock m_clock;
    GroupCommitOptions m_options;
    std::function<void(const BatchReport&)> m_on_batch;

    mutable std::mutex m_mutex;
    mutable std::condition_variable m_wake;     // the writer: work arrived or stop
    mutable std::condition_variable m_advance;  // long polls: the head moved or stop
    std::deque<Job> m_queue;
    bool m_stopping = false;
    std::int64_t m_head_seq = 0;
    std::thread m_writer;
};

}  // namespace invlog::app
