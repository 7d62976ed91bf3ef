/*
 * Writes 10 MiB of 'x' to stdout and exits 0. Writes past the stdout cap must still succeed from the
 * guest's view (the host discards the excess); exit 2 if a write fails.
 */
#include <string.h>
#include <unistd.h>

int main(void) {
    static char chunk[64 * 1024];
    memset(chunk, 'x', sizeof chunk);
    for (int i = 0; i < 160; i++) {
        for (size_t done = 0; done < sizeof chunk;) {
            ssize_t w = write(1, chunk + done, sizeof chunk - done);
            if (w < 0) {
                return 2;
            }
            done += (size_t)w;
        }
    }
    return 0;
}
