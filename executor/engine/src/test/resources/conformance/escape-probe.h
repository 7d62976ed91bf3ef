/*
 * Shared by the escape-* cases: probes that report "<path>: denied" when an open fails and
 * "<path>: LEAKED" when it succeeds, and remember whether anything leaked.
 */
#include <dirent.h>
#include <fcntl.h>
#include <stdio.h>
#include <unistd.h>

static int leaked = 0;

static void report(const char *path, int opened) {
    printf("%s: %s\n", path, opened ? "LEAKED" : "denied");
    leaked |= opened;
}

static void probe_file(const char *path) {
    int fd = open(path, O_RDONLY);
    if (fd >= 0) {
        close(fd);
    }
    report(path, fd >= 0);
}

static void probe_dir(const char *path) {
    DIR *dir = opendir(path);
    if (dir != NULL) {
        closedir(dir);
    }
    report(path, dir != NULL);
}

/* A read inside the mount that must succeed, so "denied" cannot come from a missing mount. */
static int control_readable(void) {
    int control = open("/inputs/greeting.txt", O_RDONLY);
    printf("control /inputs/greeting.txt: %s\n", control >= 0 ? "readable" : "MISSING");
    if (control >= 0) {
        close(control);
    }
    return control >= 0;
}
