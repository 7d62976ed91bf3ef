/*
 * `fd-leak open FILE`: opens FILE, prints the descriptor number and exits without closing it.
 * `fd-leak probe N`: reads from descriptor N; prints "closed" if it is not open (EBADF), "LEAKED" if it is.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int main(int argc, char **argv) {
    if (argc == 3 && strcmp(argv[1], "open") == 0) {
        int fd = open(argv[2], O_RDONLY);
        if (fd < 0) {
            perror("open");
            return 2;
        }
        printf("%d\n", fd);
        return 0;
    }
    if (argc == 3 && strcmp(argv[1], "probe") == 0) {
        char buf[8];
        ssize_t n = read(atoi(argv[2]), buf, sizeof buf);
        puts(n < 0 && errno == EBADF ? "closed" : "LEAKED");
        return 0;
    }
    fputs("usage: fd-leak open FILE | fd-leak probe N\n", stderr);
    return 2;
}
