/*
 * Self-timing harness shared by the compute guests. Usage: PROG ROUNDS WARMUP. Runs WARMUP unmeasured
 * rounds, then ROUNDS rounds timed with CLOCK_MONOTONIC, and prints one line:
 *   name=<name> ns_per_round=<integer> checksum=<16 hex digits>
 * Every round must return the same checksum (exit 1 otherwise); it proves the work was done and lets a
 * native and a wasm build be compared. Bad arguments print the usage to stderr and exit 2.
 */
#ifndef BENCH_H
#define BENCH_H

#include <inttypes.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

static uint64_t bench_now_ns(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

static long bench_count(const char *text, long min) {
    char *end;
    long value = strtol(text, &end, 10);
    return *text != '\0' && *end == '\0' && value >= min ? value : -1;
}

static int bench_main(const char *name, uint64_t (*round)(void), int argc, char **argv) {
    long rounds = argc == 3 ? bench_count(argv[1], 1) : -1;
    long warmup = argc == 3 ? bench_count(argv[2], 0) : -1;
    if (rounds < 0 || warmup < 0) {
        fprintf(stderr, "usage: %s ROUNDS WARMUP (ROUNDS >= 1, WARMUP >= 0)\n", name);
        return 2;
    }
    for (long i = 0; i < warmup; i++) {
        round();
    }
    uint64_t start = bench_now_ns();
    uint64_t checksum = round();
    for (long i = 1; i < rounds; i++) {
        if (round() != checksum) {
            fprintf(stderr, "%s: round %ld returned a different checksum\n", name, i);
            return 1;
        }
    }
    uint64_t elapsed = bench_now_ns() - start;
    printf("name=%s ns_per_round=%" PRIu64 " checksum=%016" PRIx64 "\n", name, elapsed / (uint64_t)rounds, checksum);
    return 0;
}

#endif
