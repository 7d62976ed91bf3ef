/* Copies stdin to stdout unchanged (binary-safe: NUL, CR and high bytes pass through); exit 1 on an I/O error. */
#include <unistd.h>

int main(void) {
    char buf[4096];
    ssize_t n;
    while ((n = read(0, buf, sizeof buf)) > 0) {
        for (char *p = buf; n > 0;) {
            ssize_t w = write(1, p, (size_t)n);
            if (w < 0) {
                return 1;
            }
            p += w;
            n -= w;
        }
    }
    return n < 0 ? 1 : 0;
}
