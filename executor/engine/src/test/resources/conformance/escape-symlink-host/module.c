/*
 * Tries to leave the /inputs mount through symbolic links that exist on the host side of the mount
 * (the runner creates them from this case's "symlinks" file: link -> /etc/passwd, dirlink -> /etc,
 * uplink -> ..). Prints "<path>: denied" for each refused attempt and "<path>: LEAKED" for each that
 * opened something; exit 1 if anything leaked. A control read inside the mount must succeed.
 */
#include "../escape-probe.h"

int main(void) {
    int control = control_readable();
    probe_file("/inputs/link");
    probe_file("/inputs/dirlink/passwd");
    probe_dir("/inputs/dirlink");
    probe_dir("/inputs/uplink");
    return !control || leaked;
}
