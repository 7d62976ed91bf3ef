/*
 * Writes 4000-byte blocks to /outputs/fill until a write is refused, then reports how many bytes were written and
 * why the last write failed. With disk=64KiB the mount takes exactly 65536 bytes: the 17th write is short (1536
 * bytes) and the next one fails with ENOSPC; a further mkdir still works (entries are not bytes).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

int main(void) {
    static char block[4000];
    memset(block, 'x', sizeof block);
    int fd = open("/outputs/fill", O_WRONLY | O_CREAT | O_TRUNC, 0644);
    if (fd < 0) {
        perror("open");
        return 1;
    }
    long total = 0;
    for (;;) {
        ssize_t n = write(fd, block, sizeof block);
        if (n < 0) {
            printf("wrote %ld bytes, then %s\n", total, errno == ENOSPC ? "ENOSPC" : strerror(errno));
            break;
        }
        if (n < (ssize_t)sizeof block) {
            printf("short write of %ld bytes\n", (long)n);
        }
        total += n;
    }
    close(fd);
    printf("mkdir after the byte budget: %s\n", mkdir("/outputs/dir", 0755) == 0 ? "ok" : strerror(errno));
    return 0;
}
