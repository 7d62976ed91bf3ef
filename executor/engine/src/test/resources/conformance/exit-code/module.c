/* Writes to both streams, then exits with status 3: buffered output must survive a non-zero exit. */
#include <stdio.h>
#include <stdlib.h>

int main(void) {
    fputs("about to fail\n", stdout);
    fputs("fatal: exiting with status 3\n", stderr);
    exit(3);
}
