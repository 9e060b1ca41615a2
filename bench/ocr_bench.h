#pragma once
// What the OCR benchmark programs share: a thread's CPU time, and a field's tally of reads.
// Header-only; benchmarks are not tests.
#include <cstdint>
#include <ctime>

namespace dangan::bench {

// The calling thread's CPU time in microseconds (a reading engine runs on one thread).
inline std::int64_t threadCpuMicros() {
    timespec t{};
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
    return static_cast<std::int64_t>(t.tv_sec) * 1000000 + t.tv_nsec / 1000;
}

// How the reads of one field came out against what was printed.
struct FieldTally {
    int carried = 0, exact = 0, unreadable = 0, wrong = 0;
};

}  // namespace dangan::bench
