/* Interleaves writes to stdout and stderr: each stream must be captured separately and completely. */
#include <stdio.h>

int main(void) {
    for (int i = 1; i <= 3; i++) {
        printf("out %d\n", i);
        fflush(stdout);
        fprintf(stderr, "err %d\n", i);
    }
    return 0;
}
