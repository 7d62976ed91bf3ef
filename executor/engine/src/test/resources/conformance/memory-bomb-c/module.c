/*
 * Allocates (and touches) 1 MiB blocks until malloc returns NULL, then reports how far it got: the exact
 * count goes to stderr (it depends on libc overhead), a bucket to stdout. With memory=8MiB the count must
 * be 4..7: refused before 8 MiB, but not so early that the limit would be far below what was asked for.
 */
#include <stdio.h>
#include <stdlib.h>

/* Publishing each block keeps the compiler from eliding allocations whose memory is never read. */
char *volatile last_block;

int main(void) {
    enum { MIB = 1024 * 1024 };
    int count = 0;
    for (char *block; (block = malloc(MIB)) != NULL; count++) {
        block[0] = 1;
        block[MIB - 1] = 1;
        last_block = block;
    }
    fprintf(stderr, "malloc refused after %d MiB\n", count);
    puts(count >= 4 && count < 8 ? "malloc refused after 4 to 7 MiB" : "malloc refused OUTSIDE 4 to 7 MiB");
    return 0;
}
