/*
 * Writes 100000 'e' bytes to stderr between two short stdout lines: stderr must be truncated at its cap
 * while stdout, below its cap, is kept whole. Exit 2 if a write fails.
 */
#include <stdio.h>
#include <string.h>

int main(void) {
    static char chunk[100000];
    memset(chunk, 'e', sizeof chunk);
    fputs("begin\n", stdout);
    fflush(stdout);
    if (fwrite(chunk, 1, sizeof chunk, stderr) != sizeof chunk) {
        return 2;
    }
    fputs("end\n", stdout);
    return 0;
}
