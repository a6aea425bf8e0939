// The group-commit writer thread.
#include "invlog/app/group_commit.hpp"

#include <algorithm>

#include <fmt/format.h>

#include "invlog/domain/error.hpp"
#include "invlog/telemetry/span.hpp"
#include "invlog/util/backoff.hpp"

namespace invlog::app {

using domain::Failure;

GroupCommitter::GroupCommitter(store::EventStore& store, Clock clock, GroupCommitOptions options,
                               std::function<void(const BatchReport&)> on_batch)
    : m_store(store), m_clock(std::move(clock)), m_options(options), m_on_batch(std::move(on_batch)) {
    m_head_seq = m_store.head().seq;
    m_writer = std::thread([this] { writer_loop(); });
}

GroupCommitter::~GroupCommitter() { stop(); }

void GroupCommitter::run(Work work) {
    // In the caller's trace, "commit" is the wait from here to the commit of
    // the batch that carries this work; the batch has a span of its own.
    const auto caller = telemetry::current();
    telemetry::Span wait("commit");
    std::future<void> done;
    {
        std::lock_guard lock(m_mutex);
        if (m_stopping)
            throw domain::storage_error("overloaded", "the server is shutting down; retry against another one");
        if (m_queue.size() >= m_options.max_queue)
            throw domain::storage_error("overloaded", fmt::format("{} write requests are already waiting; retry later",
                                                                  m_queue.size()));
        m_queue.push_back(Job{std::move(work), {}, caller});
        done = m_queue.back().done.get_future();
    }
    m_wake.notify_one();
    done.get();
}

void GroupCommitter::stop() {
    {
        std::lock_guard lock(m_mutex);
        m_stopping = true;
    }
    m_wake.notify_all();
    m_advance.notify_all();
    if (m_writer.joinable()) m_writer.join();
}

std::size_t GroupCommitter::queued() const {
    std::lock_guard lock(m_mutex);
    return m_queue.size();
}

std::int64_t GroupCommitter::head_seq() const {
    std::lock_guard lock(m_mutex);
    return m_head_seq;
}

std::int64_t GroupCommitter::wait_past(std::int64_t seq, std::chrono::milliseconds timeout) const {
    std::unique_lock lock(m_mutex);
    m_advance.wait_for(lock, timeout, [&] { return m_head_seq > seq || m_stopping; });
    return m_head_seq;
}

void GroupCommitter::writer_loop() {
    for (;;) {
        std::deque<Job> batch;
        {
            std::unique_lock lock(m_mutex);
            m_wake.wait(lock, [&] { return !m_queue.empty() || m_stopping; });
            if (m_queue.empty()) return;  // stopping, and nothing left to commit
            while (!m_queue.empty() && batch.size() < m_options.max_batch) {
                batch.push_back(std::move(m_queue.front()));
                m_queue.pop_front();
            }
        }
        commit_batch(batch);
    }
}

void GroupCommitter::commit_batch(std::deque<Job>& batch) {
    BatchReport report;
    report.requests = batch.size();
    std::vector<std::exception_ptr> errors(batch.size());
    std::exception_ptr fatal;
    // A trace of its own, linked to the request of every job it carries (as
    // OpenTelemetry models a batch): one commit serves many traces.
    telemetry::Span batch_span("group_commit");
    batch_span.set_int("invlog.batch.requests", static_cast<std::int64_t>(batch.size()));
    for (const auto& job : batch)
        if (job.span) batch_span.link(*job.span);
    // A store shared by several writers (MongoDB, several servers on one
    // database) refuses a commit decided on a head another writer has moved
    // since (write_conflict), with nothing of it applied. Every request of
    // the batch is then run again, each loaded and decided anew on what the
    // other writer committed, as `app::execute` does for one command: a
    // client gets the answer it would get from a single server. Bounded,
    // with a growing, jittered pause so that the writers drift apart.
    for (int attempt = 1;; ++attempt) {
        report.attempts = attempt;
        report.failed = 0;
        std::fill(errors.begin(), errors.end(), nullptr);
        fatal = nullptr;
        try {
            commit_attempt(batch, errors, report);
            break;
        } catch (const Failure& f) {
            // BEGIN, a savepoint or COMMIT failed: nothing of the batch is recorded.
            fatal = std::current_exception();
            if (f.code() != "write_conflict" || attempt >= max_write_attempts) break;
        } catch (...) {
            fatal = std::current_exception();
            break;
        }
        batch_span.set_int("invlog.batch.attempts", attempt + 1);
        util::sleep_backoff(attempt);
    }
    if (report.committed) {
        std::lock_guard lock(m_mutex);
        m_head_seq = report.head_seq;
    }
    m_advance.notify_all();
    if (m_on_batch) m_on_batch(report);
    for (std::size_t i = 0; i < batch.size(); ++i) {
        if (fatal)
            batch[i].done.set_exception(fatal);
        else if (errors[i])
            batch[i].done.set_exception(errors[i]);
        else
            batch[i].done.set_value();
    }
}

void GroupCommitter::commit_attempt(std::deque<Job>& batch, std::vector<std::exception_ptr>& errors,
                                    BatchReport& report) {
    store::EventStore::Transaction tx(m_store, true);
    for (std::size_t i = 0; i < batch.size(); ++i) {
        store::EventStore::Savepoint savepoint(m_store);
        try {
            const telemetry::Scope in_request(batch[i].span);
            batch[i].work(m_store, m_clock());
            savepoint.release();
        } catch (const Failure& f) {
            // The store lost the transaction itself (another writer took the
            // turn over while this request ran): nothing of the batch can
            // commit, so the whole batch runs again, not this request alone.
            if (f.code() == "write_conflict") throw;
            errors[i] = std::current_exception();
            ++report.failed;
        } catch (...) {
            errors[i] = std::current_exception();
            ++report.failed;
        }
    }
    const auto started = std::chrono::steady_clock::now();
    telemetry::Span commit_span("commit");
    tx.commit();
    commit_span.set_int("invlog.batch.failed", static_cast<std::int64_t>(report.failed));
    report.commit_time = std::chrono::steady_clock::now() - started;
    report.committed = true;
    report.head_seq = m_store.head().seq;
}

}  // namespace invlog::app
