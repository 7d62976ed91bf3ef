/*
 * The executor's warm-up corpus: guest code that the runtime runs before the node says it is ready, so that the Graal
 * compiler (itself Java bytecode on a stock JDK) and the invocation path are compiled before the first user call.
 * It takes no input and writes only to stdout and to a scratch directory the runtime creates for it: it is built-in
 * guest code with built-in data, never user code or user data.
 *
 * It exercises what real programs spend their first seconds in: libc start-up, malloc/free, memset/memcpy/memmove/
 * memcmp of many sizes, string functions, printf formatting, qsort through function pointers, integer and floating
 * point loops, recursion, a switch-heavy interpreter loop, and file calls through WASI (open, write, seek, read,
 * stat, readdir, unlink). Usage: warmup ROUNDS. Prints one line, "warmup checksum=<16 hex digits>"; exit 0.
 */
#include <dirent.h>
#include <fcntl.h>
#include <inttypes.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static uint64_t mix(uint64_t h, uint64_t v) {
    h ^= v + 0x9e3779b97f4a7c15u + (h << 6) + (h >> 2);
    return h * 0xff51afd7ed558ccdu;
}

static uint32_t xorshift(uint32_t *x) {
    *x ^= *x << 13;
    *x ^= *x >> 17;
    *x ^= *x << 5;
    return *x;
}

static int compare_ints(const void *a, const void *b) {
    int x = *(const int *)a, y = *(const int *)b;
    return (x > y) - (x < y);
}

static int compare_strings(const void *a, const void *b) {
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static uint64_t memory_ops(uint32_t *seed) {
    uint64_t h = 0;
    for (size_t size = 1; size <= 1 << 16; size = size * 3 + 1) {
        unsigned char *a = malloc(size + 64), *b = malloc(size + 64);
        memset(a, (int)(size & 0xff), size + 64);
        for (size_t i = 0; i < size; i += 7) {
            a[i] = (unsigned char)xorshift(seed);
        }
        memcpy(b, a, size);
        memmove(b + 3, b, size);
        h = mix(h, (uint64_t)memcmp(a, b + 3, size) + b[size / 2]);
        free(a);
        free(b);
    }
    return h;
}

static uint64_t strings(uint32_t *seed) {
    enum { N = 400 };
    char *words[N];
    char buffer[128];
    uint64_t h = 0;
    for (int i = 0; i < N; i++) {
        int n = snprintf(buffer, sizeof buffer, "w%08" PRIx32 "-%d-%.3f", xorshift(seed), i, i / 7.0);
        words[i] = strdup(buffer);
        h = mix(h, (uint64_t)n + strlen(words[i]));
    }
    qsort(words, N, sizeof words[0], compare_strings);
    for (int i = 0; i < N; i++) {
        char *dash = strchr(words[i], '-');
        h = mix(h, dash ? (uint64_t)(dash - words[i]) : 0);
        h = mix(h, (uint64_t)strtol(dash ? dash + 1 : "0", NULL, 10));
        free(words[i]);
    }
    return h;
}

static uint64_t sorting(uint32_t *seed) {
    enum { N = 20000 };
    int *values = malloc(N * sizeof *values);
    for (int i = 0; i < N; i++) {
        values[i] = (int)(xorshift(seed) % 100000);
    }
    qsort(values, N, sizeof *values, compare_ints);
    uint64_t h = 0;
    for (int i = 0; i < N; i += 97) {
        h = mix(h, (uint64_t)values[i]);
    }
    free(values);
    return h;
}

static uint64_t floating(void) {
    double x = 0.5, y = 0.25, vx = 0.0, vy = 0.1, energy = 0.0;
    for (int i = 0; i < 50000; i++) {
        double r = sqrt(x * x + y * y) + 1e-9;
        vx -= x / (r * r * r) * 1e-4;
        vy -= y / (r * r * r) * 1e-4;
        x += vx * 1e-2;
        y += vy * 1e-2;
        energy += 0.5 * (vx * vx + vy * vy) - 1.0 / r + sin(x) * cos(y) + exp(-r) + log1p(r);
    }
    return (uint64_t)(int64_t)(energy * 1e6) ^ (uint64_t)(int64_t)(pow(fabs(x) + 1.0, 1.5) * 1e6);
}

static uint64_t fib(int n) {
    return n < 2 ? (uint64_t)n : fib(n - 1) + fib(n - 2);
}

/* A tiny stack machine: the dispatch loop of an interpreter, as many programs (parsers, VMs, regex engines) have. */
static int64_t interpret(const unsigned char *code, size_t length, int64_t input) {
    int64_t stack[64];
    int sp = 0;
    stack[sp++] = input;
    for (size_t pc = 0; pc < length; pc++) {
        switch (code[pc] % 8) {
            case 0: stack[sp - 1] += 3; break;
            case 1: stack[sp - 1] *= 5; break;
            case 2: stack[sp - 1] ^= stack[sp - 1] >> 3; break;
            case 3: if (sp < 63) { stack[sp] = stack[sp - 1]; sp++; } break;
            case 4: if (sp > 1) { sp--; stack[sp - 1] += stack[sp]; } break;
            case 5: stack[sp - 1] -= 7; break;
            case 6: if (sp > 1) { sp--; stack[sp - 1] ^= stack[sp]; } break;
            default: stack[sp - 1] = (stack[sp - 1] << 1) | (stack[sp - 1] < 0); break;
        }
    }
    return stack[0];
}

static uint64_t interpreter(uint32_t *seed) {
    unsigned char code[256];
    for (size_t i = 0; i < sizeof code; i++) {
        code[i] = (unsigned char)xorshift(seed);
    }
    uint64_t h = 0;
    for (int i = 0; i < 300; i++) {
        h = mix(h, (uint64_t)interpret(code, sizeof code, i));
    }
    return h;
}

static uint64_t files(const char *dir, uint32_t *seed) {
    char path[256], block[512];
    uint64_t h = 0;
    for (int f = 0; f < 4; f++) {
        snprintf(path, sizeof path, "%s/file-%d.txt", dir, f);
        FILE *out = fopen(path, "w");
        if (out == NULL) {
            return h;
        }
        for (int line = 0; line < 200; line++) {
            fprintf(out, "line %d of file %d: %08" PRIx32 "\n", line, f, xorshift(seed));
        }
        fclose(out);
        int fd = open(path, O_RDONLY);
        ssize_t n;
        while ((n = read(fd, block, sizeof block)) > 0) {
            h = mix(h, (uint64_t)n + (unsigned char)block[n / 2]);
        }
        lseek(fd, 10, SEEK_SET);
        close(fd);
        struct stat st;
        if (stat(path, &st) == 0) {
            h = mix(h, (uint64_t)st.st_size);
        }
    }
    DIR *listing = opendir(dir);
    if (listing != NULL) {
        struct dirent *entry;
        while ((entry = readdir(listing)) != NULL) {
            h = mix(h, strlen(entry->d_name));
        }
        closedir(listing);
    }
    for (int f = 0; f < 4; f++) {
        snprintf(path, sizeof path, "%s/file-%d.txt", dir, f);
        unlink(path);
    }
    return h;
}

int main(int argc, char **argv) {
    long rounds = argc > 1 ? strtol(argv[1], NULL, 10) : 1;
    const char *dir = argc > 2 ? argv[2] : NULL;
    uint32_t seed = 2463534242u;
    uint64_t h = 0;
    for (long r = 0; r < rounds; r++) {
        h = mix(h, memory_ops(&seed));
        h = mix(h, strings(&seed));
        h = mix(h, sorting(&seed));
        h = mix(h, floating());
        h = mix(h, fib(20));
        h = mix(h, interpreter(&seed));
        if (dir != NULL) {
            h = mix(h, files(dir, &seed));
        }
    }
    printf("warmup checksum=%016" PRIx64 "\n", h);
    return 0;
}
