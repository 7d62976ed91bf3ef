/*
 * libc's buffered I/O over WASI: readv/writev with an empty iovec beside a full one (musl's FILE layer sends
 * them) must neither stop a write nor read as end of file. Copies /inputs/data.bin (3000 bytes, larger than
 * the FILE buffer) to /outputs/copy.bin with fread/fwrite, then reads it back one byte at a time with fgetc.
 */
#include <stdio.h>

int main(void) {
    FILE *in = fopen("/inputs/data.bin", "rb");
    FILE *out = fopen("/outputs/copy.bin", "wb");
    if (in == NULL || out == NULL) {
        perror("open");
        return 1;
    }
    char buf[65536];
    size_t n, total = 0;
    while ((n = fread(buf, 1, sizeof buf, in)) > 0) {
        total += fwrite(buf, 1, n, out);
    }
    fclose(in);
    fclose(out);
    printf("copied %zu bytes\n", total);
    FILE *back = fopen("/outputs/copy.bin", "rb");
    long count = 0;
    unsigned sum = 0;
    for (int c; (c = fgetc(back)) != EOF; count++) {
        sum = sum * 31 + (unsigned)c;
    }
    fclose(back);
    printf("read back %ld bytes one at a time, hash %08x\n", count, sum);
    return 0;
}
