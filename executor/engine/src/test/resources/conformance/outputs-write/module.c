/*
 * Reads /inputs/greeting.txt and writes /outputs/result.txt (the greeting upper-cased) and
 * /outputs/sub/dir/nested.txt (creating both directories). Exit 1 with a message on stderr on any failure.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>

static void fail(const char *what) {
    perror(what);
    exit(1);
}

static void write_file(const char *path, const char *data, size_t len) {
    FILE *f = fopen(path, "w");
    if (f == NULL || fwrite(data, 1, len, f) != len || fclose(f) != 0) {
        fail(path);
    }
    printf("wrote %s\n", path);
}

int main(void) {
    char greeting[256];
    FILE *in = fopen("/inputs/greeting.txt", "r");
    if (in == NULL) {
        fail("/inputs/greeting.txt");
    }
    size_t len = fread(greeting, 1, sizeof greeting, in);
    fclose(in);
    for (size_t i = 0; i < len; i++) {
        greeting[i] = (char)toupper((unsigned char)greeting[i]);
    }
    write_file("/outputs/result.txt", greeting, len);
    if (mkdir("/outputs/sub", 0755) != 0 || mkdir("/outputs/sub/dir", 0755) != 0) {
        fail("mkdir /outputs/sub/dir");
    }
    write_file("/outputs/sub/dir/nested.txt", "nested\n", 7);
    return 0;
}
