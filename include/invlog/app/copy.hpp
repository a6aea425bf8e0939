// Copying a whole log from one store into another (invlog copy): every event
// as recorded (seq, ids, times, metadata, hashes), the settings and the
// idempotency keys, then the destination's derived data rebuilt from them.
// Works on two EventStores, whatever holds them (file to file, file to
// MongoDB and back).
#pragma once

#include <cstdint>
#include <functional>

#include "invlog/app/upkeep.hpp"
#include "invlog/store/event_store.hpp"

namespace invlog::app {

struct CopyOptions {
    // Events per write transaction on the destination: what an interruption
    // can lose (nothing half-written: the next run goes on from the last
    // committed batch).
    std::int64_t batch = 10'000;
    // Events copied so far in this run, of how many.
    ProgressFn progress;
    // Called after each committed batch with the destination's head seq (the
    // CLI's test hook that kills the process there).
    std::function<void(std::int64_t batches, std::int64_t head_seq)> after_batch;
};

struct CopyResult {
    std::int64_t events_copied = 0;  // in this run
    std::int64_t resumed_from = 0;   // the destination's head seq before this run (0: it was empty)
    std::int64_t settings = 0;
    std::int64_t idempotency_keys = 0;  // recorded by this run (a resumed run skips those already there)
    std::int64_t skus = 0;
    std::int64_t snapshots = 0;
    store::Head head;  // the destination's, now the source's
};

// Copies the source's log into the destination, which must be empty or hold
// a prefix of it (an earlier, interrupted copy: its head has the seq and hash
// of the source's event at that seq), and goes on from the destination's
// head: nothing is copied twice or skipped. The source is read in one read
// transaction, so that the copy is of one moment of it however many writers
// carry on. Then the destination's settings become the source's and the
// source's idempotency keys are recorded there (in transactions of at most
// a batch of keys; a re-run skips those already there), and its read model
// and snapshots are rebuilt (rebuild(), one transaction).
// Refused, with nothing written: a destination that holds other events
// (conflict, copy_destination_diverges) or more events than the source
// (conflict, copy_destination_ahead); an idempotency key that the
// destination holds for another command (conflict, copy_key_conflict).
CopyResult copy(store::EventStore& source, store::EventStore& dest, const CopyOptions& options);

}  // namespace invlog::app
