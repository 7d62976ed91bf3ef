/* Prints argv[0..argc-1], one per line, so the runner's argument passing is visible byte for byte. */
#include <stdio.h>

int main(int argc, char **argv) {
    for (int i = 0; i < argc; i++) {
        printf("%s\n", argv[i]);
    }
    return 0;
}
