/*
 * Lists /inputs and /inputs/sub with readdir (sorted, "." and ".." included) as "<dir>: <name> <type> <size>",
 * then lists /outputs (empty). Exit 1 with a message on stderr if a directory cannot be opened or stat fails.
 */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

static int by_name(const void *a, const void *b) {
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static void list(const char *path) {
    DIR *dir = opendir(path);
    if (dir == NULL) {
        perror(path);
        exit(1);
    }
    char *names[64];
    size_t n = 0;
    struct dirent *entry;
    while ((entry = readdir(dir)) != NULL && n < 64) {
        names[n++] = strdup(entry->d_name);
    }
    closedir(dir);
    qsort(names, n, sizeof names[0], by_name);
    for (size_t i = 0; i < n; i++) {
        char full[512];
        struct stat st;
        snprintf(full, sizeof full, "%s/%s", path, names[i]);
        const char *type = "other";
        long long size = -1;
        if (strcmp(names[i], ".") != 0 && strcmp(names[i], "..") != 0) {
            if (stat(full, &st) != 0) {
                perror(full);
                exit(1);
            }
            type = S_ISDIR(st.st_mode) ? "dir" : S_ISREG(st.st_mode) ? "file" : "other";
            size = S_ISREG(st.st_mode) ? (long long)st.st_size : 0;
        } else {
            type = "dot";
            size = 0;
        }
        printf("%s: %s %s %lld\n", path, names[i], type, size);
    }
}

int main(void) {
    list("/inputs");
    list("/inputs/sub");
    list("/outputs");
    return 0;
}
