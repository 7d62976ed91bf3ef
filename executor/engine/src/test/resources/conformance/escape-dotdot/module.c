/*
 * Tries to leave the /inputs and /outputs mounts with ".." components. Prints "<path>: denied" for each
 * refused attempt and "<path>: LEAKED" for each that opened something; exit 1 if anything leaked.
 * A control read inside the mount must succeed, so "denied" cannot come from missing mounts.
 */
#include "../escape-probe.h"

int main(void) {
    int control = control_readable();
    probe_file("/inputs/../../../../etc/passwd");
    probe_file("/outputs/../../../../etc/passwd");
    probe_file("/inputs/../outputs/../../etc/passwd");
    probe_file("../../../../etc/passwd");
    probe_dir("/inputs/..");
    probe_dir("/inputs/../..");
    probe_dir("/outputs/..");
    return !control || leaked;
}
