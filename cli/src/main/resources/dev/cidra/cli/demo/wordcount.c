/*
 * The demo function of `cidra demo`.
 *
 *   wordcount          counts the lines, words and bytes of stdin and prints "LINES WORDS BYTES"
 *   wordcount DIR      does so for every regular file in DIR (sorted by name), writes one line
 *                      "NAME LINES WORDS BYTES" per file to /outputs/counts.txt and prints the total
 *
 * Exits 1 with a message on stderr when a file cannot be read or written.
 */
#include <ctype.h>
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct counts {
    unsigned long lines, words, bytes;
};

static void fail(const char *what) {
    perror(what);
    exit(1);
}

static struct counts count(FILE *in) {
    struct counts c = {0, 0, 0};
    int in_word = 0;
    int ch;
    while ((ch = fgetc(in)) != EOF) {
        c.bytes++;
        if (ch == '\n') {
            c.lines++;
        }
        if (isspace(ch)) {
            in_word = 0;
        } else if (!in_word) {
            in_word = 1;
            c.words++;
        }
    }
    return c;
}

static int by_name(const void *a, const void *b) {
    return strcmp(*(char *const *)a, *(char *const *)b);
}

int main(int argc, char **argv) {
    if (argc < 2) {
        struct counts c = count(stdin);
        printf("%lu %lu %lu\n", c.lines, c.words, c.bytes);
        return 0;
    }
    DIR *dir = opendir(argv[1]);
    if (dir == NULL) {
        fail(argv[1]);
    }
    char *names[1024];
    size_t n = 0;
    struct dirent *entry;
    while ((entry = readdir(dir)) != NULL && n < 1024) {
        if (entry->d_type == DT_REG) {
            names[n++] = strdup(entry->d_name);
        }
    }
    closedir(dir);
    qsort(names, n, sizeof names[0], by_name);
    FILE *out = fopen("/outputs/counts.txt", "w");
    if (out == NULL) {
        fail("/outputs/counts.txt");
    }
    struct counts total = {0, 0, 0};
    for (size_t i = 0; i < n; i++) {
        char path[4096];
        snprintf(path, sizeof path, "%s/%s", argv[1], names[i]);
        FILE *in = fopen(path, "r");
        if (in == NULL) {
            fail(path);
        }
        struct counts c = count(in);
        fclose(in);
        fprintf(out, "%s %lu %lu %lu\n", names[i], c.lines, c.words, c.bytes);
        total.lines += c.lines;
        total.words += c.words;
        total.bytes += c.bytes;
    }
    if (fclose(out) != 0) {
        fail("/outputs/counts.txt");
    }
    printf("%zu files: %lu %lu %lu\n", n, total.lines, total.words, total.bytes);
    return 0;
}
