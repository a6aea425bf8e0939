// Pauses between retries of a write that lost to another writer: growing
// with the attempt, with random jitter so that the writers drift apart.
#pragma once

namespace invlog::util {

void sleep_backoff(int attempt);

}  // namespace invlog::util
