package dev.cidra.contract;

/**
 * A guest directory whose contents a job publishes: mounted writable and empty at {@link #path()}, published under
 * {@link #name()} in the result.
 *
 * @param name the directory's name in the published result; a single path segment
 * @param path the absolute guest path, e.g. {@code /outputs}
 */
public record ResultPath(String name, String path) {
    /** What a job publishes when it names no result paths. */
    public static final ResultPath OUTPUTS = new ResultPath("outputs", "/outputs");

    /**
     * @throws IllegalArgumentException naming the field and the rule it breaks
     */
    public ResultPath {
        Require.nonBlank(name, "result path name");
        if (name.contains("/") || name.equals(".") || name.equals("..")) {
            throw new IllegalArgumentException(
                    "result path name must be a single path segment without '/', not \"" + name + "\"");
        }
        if (Publisher.RESERVED_NAMES.contains(name)) {
            throw new IllegalArgumentException(
                    "result path name \"" + name + "\" is reserved for the job's " + name + " in the published result");
        }
        path = Require.guestPath(path, "result path " + name);
    }
}
