/*
 * Tries to leave the mounts through symbolic links the guest creates itself in /outputs (each removed
 * again, so /outputs ends empty). Creating a link may be refused or allowed; following it must never
 * reach the host. Prints "<path>: denied" for each refused attempt and "<path>: LEAKED" for each that
 * opened something; exit 1 if anything leaked. A control read inside the mount must succeed.
 */
#include "../escape-probe.h"

int main(void) {
    int control = control_readable();
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
    return !control || leaked;
}
