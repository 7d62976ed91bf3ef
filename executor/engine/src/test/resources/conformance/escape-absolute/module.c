/*
 * Tries to open host paths outside the /inputs and /outputs mounts. Prints "<path>: denied" for each
 * refused attempt and "<path>: LEAKED" for each that opened something; exit 1 if anything leaked.
 * A control read inside the mount must succeed, so "denied" cannot come from missing mounts.
 */
#include "../escape-probe.h"

int main(void) {
    int control = control_readable();
    probe_file("/etc/passwd");
    probe_file("/proc/self/environ");
    probe_file("etc/passwd");
    probe_dir("/");
    probe_dir("/etc");
    probe_dir("/tmp");
    probe_dir(".");
    return !control || leaked;
}
