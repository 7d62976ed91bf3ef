/*
 * The job test guest: copy EXIT_CODE [SRC DST]...
 *
 * Copies each file SRC to DST, creating DST's missing parent directories, and prints "SRC -> DST (B bytes)" per pair
 * on stdout and "exiting with EXIT_CODE" on stderr, then exits with EXIT_CODE. Any I/O failure prints the failing
 * path on stderr and exits 1. (It takes file names rather than walking directories: GraalWasm cannot open a directory
 * for readdir on a read-only mount.)
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

static void fail(const char *what) {
    perror(what);
    exit(1);
}

static void make_parents(const char *path) {
    char dir[4096];
    snprintf(dir, sizeof dir, "%s", path);
    for (char *slash = strchr(dir + 1, '/'); slash != NULL; slash = strchr(slash + 1, '/')) {
        *slash = '\0';
        struct stat st;
        if (stat(dir, &st) != 0 && mkdir(dir, 0755) != 0) {
            fail(dir);
        }
        *slash = '/';
    }
}

static long long copy_file(const char *src, const char *dst) {
    FILE *in = fopen(src, "rb");
    if (in == NULL) {
        fail(src);
    }
    make_parents(dst);
    FILE *out = fopen(dst, "wb");
    if (out == NULL) {
        fail(dst);
    }
    char buf[65536];
    long long bytes = 0;
    size_t n;
    while ((n = fread(buf, 1, sizeof buf, in)) > 0) {
        if (fwrite(buf, 1, n, out) != n) {
            fail(dst);
        }
        bytes += (long long)n;
    }
    if (ferror(in)) {
        fail(src);
    }
    fclose(in);
    if (fclose(out) != 0) {
        fail(dst);
    }
    return bytes;
}

int main(int argc, char **argv) {
    if (argc < 2 || argc % 2 != 0) {
        fprintf(stderr, "usage: copy EXIT_CODE [SRC DST]...\n");
        return 2;
    }
    for (int i = 2; i + 1 < argc; i += 2) {
        long long bytes = copy_file(argv[i], argv[i + 1]);
        printf("%s -> %s (%lld bytes)\n", argv[i], argv[i + 1], bytes);
    }
    int code = atoi(argv[1]);
    fprintf(stderr, "exiting with %d\n", code);
    return code;
}
