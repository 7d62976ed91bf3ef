/*
 * Tries to open host paths outside the /inputs and /outputs mounts. Prints "<path>: denied" for each
 * refused attempt and "<path>: LEAKED" for each that opened something; exit 1 if anything leaked.
 * A control read inside the mount must succeed, so "denied" cannot come from missing mounts.
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

int main(void) {
    int control = open("/inputs/greeting.txt", O_RDONLY);
    printf("control /inputs/greeting.txt: %s\n", control >= 0 ? "readable" : "MISSING");
    probe_file("/etc/passwd");
    probe_file("/proc/self/environ");
    probe_file("etc/passwd");
    probe_dir("/");
    probe_dir("/etc");
    probe_dir("/tmp");
    probe_dir(".");
    return control < 0 || leaked;
}
