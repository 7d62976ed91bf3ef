package dev.cidra.executor;

import java.nio.file.Path;

/**
 * A host directory preopened at a guest path. The guest reaches nothing outside its mounts: paths and symbolic links
 * are resolved inside the mount, never by the host (see {@code GuestPaths}); writes are refused on read-only mounts,
 * and those to read-write mounts draw on the invocation's disk budget ({@link Limits#diskBytes()}).
 *
 * @param host an existing host directory
 * @param guest an absolute guest path such as {@code /inputs}
 * @param writable whether the guest may create, change or delete files below it
 */
public record Mount(Path host, String guest, boolean writable) {
    /** Where a guest writes results; read-write unless said otherwise. */
    public static final String OUTPUTS = "/outputs";

    public Mount {
        if (!guest.startsWith("/")) {
            throw new IllegalArgumentException("mount guest path \"" + guest + "\" must be absolute (start with /)");
        }
        if (guest.contains(",")
                || guest.contains(":")
                || host.toString().contains(",")
                || host.toString().contains(":")) {
            throw new IllegalArgumentException(
                    "mount " + host + " at " + guest + ": paths must not contain ',' or ':'");
        }
    }

    /**
     * Parses {@code HOST:GUEST[:ro|:rw]}. Without a mode, {@value #OUTPUTS} is read-write and every other guest path
     * read-only.
     *
     * @throws IllegalArgumentException with a message naming the malformed part
     */
    public static Mount parse(String spec) {
        String[] parts = spec.split(":", -1);
        if (parts.length < 2 || parts.length > 3 || parts[0].isEmpty() || parts[1].isEmpty()) {
            throw new IllegalArgumentException("mount \"" + spec + "\" is not HOST:GUEST[:ro|:rw]");
        }
        boolean writable = parts[1].equals(OUTPUTS);
        if (parts.length == 3) {
            writable = switch (parts[2]) {
                case "rw" -> true;
                case "ro" -> false;
                default ->
                    throw new IllegalArgumentException(
                            "mount \"" + spec + "\": mode must be ro or rw, not \"" + parts[2] + "\"");
            };
        }
        return new Mount(Path.of(parts[0]), parts[1], writable);
    }
}
