/* Prints one line through libc: the fixed cost of an invocation plus a small libc start-up and one write. */
#include <stdio.h>

int main(void) {
    fputs("hello, world\n", stdout);
    return 0;
}
