/* Prints a fixed greeting: the smallest possible WASI program using libc. */
#include <stdio.h>

int main(void) {
    fputs("hello, world\n", stdout);
    return 0;
}
