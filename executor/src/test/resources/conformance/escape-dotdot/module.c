/*
 * Tries to leave the /inputs and /outputs mounts with ".." components. Prints "<path>: denied" for each
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
    probe_file("/inputs/../../../../etc/passwd");
    probe_file("/outputs/../../../../etc/passwd");
    probe_file("/inputs/../outputs/../../etc/passwd");
    probe_file("../../../../etc/passwd");
    probe_dir("/inputs/..");
    probe_dir("/inputs/../..");
    probe_dir("/outputs/..");
    return control < 0 || leaked;
}
