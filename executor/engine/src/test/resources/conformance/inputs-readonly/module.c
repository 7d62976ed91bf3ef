/*
 * Attempts to modify the read-only /inputs mount in four ways (none of them destroys existing data)
 * and prints "<attempt>: denied" for each refused one. An O_RDWR open may succeed on a read-only mount
 * (GraalWasm opens every file it may write), so that attempt writes the file's first byte back in place:
 * the write must fail. Then reads the greeting back to show reads still
 * work. Exit 1 if any attempt succeeded.
 */
#include <fcntl.h>
#include <stdio.h>
#include <sys/stat.h>
#include <unistd.h>

static int writable = 0;

static void report(const char *attempt, int succeeded) {
    printf("%s: %s\n", attempt, succeeded ? "WRITABLE" : "denied");
    writable |= succeeded;
}

static void try_open(const char *attempt, const char *path, int flags) {
    int fd = open(path, flags, 0644);
    if (fd >= 0) {
        close(fd);
    }
    report(attempt, fd >= 0);
}

static void try_rewrite(const char *attempt, const char *path) {
    int fd = open(path, O_RDWR);
    int succeeded = 0;
    char first;
    if (fd >= 0) {
        succeeded = pread(fd, &first, 1, 0) == 1 && pwrite(fd, &first, 1, 0) == 1;
        close(fd);
    }
    report(attempt, succeeded);
}

int main(void) {
    try_rewrite("write /inputs/greeting.txt via O_RDWR", "/inputs/greeting.txt");
    try_open("open /inputs/greeting.txt O_WRONLY|O_APPEND", "/inputs/greeting.txt", O_WRONLY | O_APPEND);
    try_open("create /inputs/new.txt", "/inputs/new.txt", O_WRONLY | O_CREAT | O_EXCL);
    report("mkdir /inputs/newdir", mkdir("/inputs/newdir", 0755) == 0);

    char buf[64];
    FILE *f = fopen("/inputs/greeting.txt", "r");
    size_t len = f != NULL ? fread(buf, 1, sizeof buf, f) : 0;
    printf("greeting: %.*s", (int)len, buf);
    return writable;
}
