/*
 * The trigger test guest: transform [NAME]...
 *
 * Prints "NAME=value" (or "NAME" alone when unset) for each environment variable named in its arguments, then its
 * stdin upper-cased, on stdout, and exits 0. Other behaviours, chosen by stdin, so that one record can ask for them:
 *   "poison..."  exits 3 at once, printing "poisoned" on stderr;
 *   "slow..."    busy-waits 3 seconds (on the monotonic clock) before answering;
 *   "flaky:N..." exits 1 while CIDRA_ATTEMPT < N.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static char input[1 << 20];

int main(int argc, char **argv) {
    size_t length = fread(input, 1, sizeof input - 1, stdin);
    input[length] = '\0';
    if (strncmp(input, "poison", 6) == 0) {
        fprintf(stderr, "poisoned\n");
        return 3;
    }
    if (strncmp(input, "flaky:", 6) == 0) {
        const char *attempt = getenv("CIDRA_ATTEMPT");
        if (attempt == NULL || atoi(attempt) < atoi(input + 6)) {
            fprintf(stderr, "flaky on attempt %s\n", attempt == NULL ? "?" : attempt);
            return 1;
        }
    }
    if (strncmp(input, "slow", 4) == 0) {
        struct timespec start, now;
        clock_gettime(CLOCK_MONOTONIC, &start);
        do {
            clock_gettime(CLOCK_MONOTONIC, &now);
        } while (now.tv_sec - start.tv_sec < 3);
    }
    for (int i = 1; i < argc; i++) {
        const char *value = getenv(argv[i]);
        if (value == NULL) {
            printf("%s\n", argv[i]);
        } else {
            printf("%s=%s\n", argv[i], value);
        }
    }
    for (size_t i = 0; i < length; i++) {
        putchar(toupper((unsigned char)input[i]));
    }
    return 0;
}
