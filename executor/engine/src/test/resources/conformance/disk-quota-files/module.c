/*
 * Creates empty files /outputs/f0, /outputs/f1, ... until a create is refused, then tries a directory and a link.
 * With disk-files=5 five files fit and everything after them fails with ENOSPC; removing one makes room again.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static const char *why(void) {
    return errno == ENOSPC ? "ENOSPC" : strerror(errno);
}

int main(void) {
    char path[64];
    int created = 0;
    for (;; created++) {
        snprintf(path, sizeof path, "/outputs/f%d", created);
        int fd = open(path, O_WRONLY | O_CREAT | O_EXCL, 0644);
        if (fd < 0) {
            printf("created %d files, then %s\n", created, why());
            break;
        }
        close(fd);
    }
    printf("mkdir: %s\n", mkdir("/outputs/dir", 0755) == 0 ? "ok" : why());
    printf("symlink: %s\n", symlink("f0", "/outputs/link") == 0 ? "ok" : why());
    printf("link: %s\n", link("/outputs/f0", "/outputs/hard") == 0 ? "ok" : why());
    unlink("/outputs/f4");
    int fd = open("/outputs/again", O_WRONLY | O_CREAT | O_EXCL, 0644);
    printf("create after unlink: %s\n", fd >= 0 ? "ok" : why());
    return 0;
}
