/*
 * Tries to leave the /inputs mount through symbolic links that exist on the host side of the mount
 * (the runner creates them from this case's "symlinks" file: link -> /etc/passwd, dirlink -> /etc,
 * uplink -> ..). Prints "<path>: denied" for each refused attempt and "<path>: LEAKED" for each that
 * opened something; exit 1 if anything leaked. A control read inside the mount must succeed.
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
    probe_file("/inputs/link");
    probe_file("/inputs/dirlink/passwd");
    probe_dir("/inputs/dirlink");
    probe_dir("/inputs/uplink");
    return control < 0 || leaked;
}
