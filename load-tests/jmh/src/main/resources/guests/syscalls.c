/*
 * Syscall-heavy guest: almost all its time is spent in WASI calls, not in its own code. In /outputs (a directory
 * the caller mounts read-write, left empty), for each of 20 files: create it, 200 unbuffered 16-byte writes, close,
 * stat, reopen, 200 16-byte reads checked against what was written, close; then list the directory twice and
 * unlink the 20 files. About 8,200 WASI calls per run. Prints nothing; exit 1 with a message on stderr if any call
 * fails or reads back something else.
 */
#include <dirent.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define FILES 20
#define BLOCKS 200
#define BLOCK 16

static int fail(const char *what, const char *path) {
    fprintf(stderr, "syscalls: %s %s failed\n", what, path);
    return 1;
}

int main(void) {
    char path[64], block[BLOCK], back[BLOCK];
    for (int f = 0; f < FILES; f++) {
        snprintf(path, sizeof path, "/outputs/file-%02d", f);
        int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
        if (fd < 0) {
            return fail("create", path);
        }
        for (int b = 0; b < BLOCKS; b++) {
            memset(block, 'a' + (f + b) % 26, sizeof block);
            if (write(fd, block, sizeof block) != BLOCK) {
                return fail("write", path);
            }
        }
        close(fd);
        struct stat st;
        if (stat(path, &st) != 0 || st.st_size != BLOCKS * BLOCK) {
            return fail("stat", path);
        }
        fd = open(path, O_RDONLY);
        if (fd < 0) {
            return fail("open", path);
        }
        for (int b = 0; b < BLOCKS; b++) {
            memset(block, 'a' + (f + b) % 26, sizeof block);
            if (read(fd, back, sizeof back) != BLOCK || memcmp(block, back, BLOCK) != 0) {
                return fail("read", path);
            }
        }
        close(fd);
    }
    for (int pass = 0; pass < 2; pass++) {
        DIR *dir = opendir("/outputs");
        if (dir == NULL) {
            return fail("opendir", "/outputs");
        }
        int entries = 0;
        while (readdir(dir) != NULL) {
            entries++;
        }
        closedir(dir);
        if (entries != FILES + 2) {
            return fail("readdir", "/outputs");
        }
    }
    for (int f = 0; f < FILES; f++) {
        snprintf(path, sizeof path, "/outputs/file-%02d", f);
        if (unlink(path) != 0) {
            return fail("unlink", path);
        }
    }
    return 0;
}
