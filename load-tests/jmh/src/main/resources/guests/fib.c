/* Recursive fib(33) per round: call-heavy integer code. Checksum: fib(33) = 3524578. */
#include "bench.h"

/* Read through a volatile so the compiler cannot evaluate a round at build time or hoist it out of the loop. */
static volatile int fib_n = 33;

static uint32_t fib(int n) {
    return n < 2 ? (uint32_t)n : fib(n - 1) + fib(n - 2);
}

static uint64_t fib_round(void) {
    return fib(fib_n);
}

int main(int argc, char **argv) {
    return bench_main("fib", fib_round, argc, argv);
}
