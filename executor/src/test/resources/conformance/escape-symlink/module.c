/*
 * Tries to leave the mounts through symbolic links the guest creates itself in /outputs (each removed
 * again, so /outputs ends empty). Creating a link may be refused or allowed; following it must never
 * reach the host. Prints "<path>: denied" for each refused attempt and "<path>: LEAKED" for each that
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
    int links[] = {
        symlink("/etc/passwd", "/outputs/abs-link"),
        symlink("../../../../../../etc/passwd", "/outputs/rel-link"),
        symlink("/etc", "/outputs/dir-link"),
        symlink("..", "/outputs/up-link"),
    };
    probe_file("/outputs/abs-link");
    probe_file("/outputs/rel-link");
    probe_file("/outputs/dir-link/passwd");
    probe_dir("/outputs/dir-link");
    probe_dir("/outputs/up-link");
    const char *names[] = {"/outputs/abs-link", "/outputs/rel-link", "/outputs/dir-link", "/outputs/up-link"};
    for (int i = 0; i < 4; i++) {
        if (links[i] == 0) {
            unlink(names[i]);
        }
    }
    return control < 0 || leaked;
}
