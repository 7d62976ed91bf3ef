/*
 * A file removed while open keeps its bytes charged until its descriptor is closed (as a disk keeps its blocks):
 * with disk=16KiB, fill /outputs/fill, unlink it while open (fstat then says nlink 0, its size unchanged), a further
 * write still gets ENOSPC; after the close the whole budget is free again for /outputs/again.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static char block[16384];

int main(void) {
    memset(block, 'x', sizeof block);
    int fd = open("/outputs/fill", O_RDWR | O_CREAT | O_TRUNC, 0644);
    printf("fill: %ld\n", (long)write(fd, block, sizeof block));
    unlink("/outputs/fill");
    struct stat st;
    fstat(fd, &st);
    printf("after unlink: nlink %d size %lld\n", (int)st.st_nlink, (long long)st.st_size);
    ssize_t n = write(fd, "y", 1);
    printf("write while open: %s\n", n < 0 && errno == ENOSPC ? "ENOSPC" : "WRITTEN");
    close(fd);
    memset(block, 'y', sizeof block);
    fd = open("/outputs/again", O_WRONLY | O_CREAT | O_TRUNC, 0644);
    printf("after close: %ld\n", (long)write(fd, block, sizeof block));
    close(fd);
    return 0;
}
