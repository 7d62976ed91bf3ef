/*
 * Prints everything a WASI program can observe that is not its input: the realtime and monotonic clocks and their
 * resolutions, a sleep, random bytes, and the listing and stats of files it creates in /outputs (in an order that is
 * not alphabetical), and writes the same report to /outputs/report.txt. In deterministic mode two runs print the
 * same bytes; otherwise the clocks, random bytes and inode numbers differ.
 */
#include <dirent.h>
#include <stdarg.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include <wasi/api.h>

static FILE *report;

/* Prints to stdout and to the report. */
static void out(const char *format, ...) {
    va_list args;
    va_start(args, format);
    vprintf(format, args);
    va_end(args);
    va_start(args, format);
    vfprintf(report, format, args);
    va_end(args);
}

static void touch(const char *path, const char *data) {
    int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
    write(fd, data, strlen(data));
    close(fd);
}

int main(void) {
    report = fopen("/outputs/report.txt", "w");
    __wasi_timestamp_t t;
    (void)__wasi_clock_res_get(__WASI_CLOCKID_REALTIME, &t);
    out("realtime resolution %lld ns\n", (long long)t);
    (void)__wasi_clock_time_get(__WASI_CLOCKID_REALTIME, 1, &t);
    out("realtime %lld ns\n", (long long)t);
    __wasi_timestamp_t before, after;
    (void)__wasi_clock_time_get(__WASI_CLOCKID_MONOTONIC, 1, &before);
    struct timespec nap = {0, 20 * 1000 * 1000};
    nanosleep(&nap, NULL);
    (void)__wasi_clock_time_get(__WASI_CLOCKID_MONOTONIC, 1, &after);
    out("monotonic %lld ns, after a 20 ms sleep %lld ns\n", (long long)before, (long long)after);
    uint64_t random[4];
    (void)__wasi_random_get((uint8_t *)random, sizeof random);
    for (int i = 0; i < 4; i++) {
        out("random %llu\n", (unsigned long long)random[i]);
    }
    touch("/outputs/zeta.txt", "last\n");
    touch("/outputs/alpha.txt", "first\n");
    mkdir("/outputs/mid", 0755);
    touch("/outputs/mid/inner.txt", "inner\n");
    DIR *dir = opendir("/outputs");
    struct dirent *e;
    while ((e = readdir(dir)) != NULL) {
        char path[300];
        snprintf(path, sizeof path, "/outputs/%s", e->d_name);
        struct stat st;
        stat(path, &st);
        out("%s ino %lld dev %lld size %lld mtime %lld.%09ld\n", e->d_name, (long long)st.st_ino,
            (long long)st.st_dev, (long long)(S_ISDIR(st.st_mode) ? 0 : st.st_size), (long long)st.st_mtim.tv_sec,
            (long)st.st_mtim.tv_nsec);
    }
    closedir(dir);
    fclose(report);
    return 0;
}
