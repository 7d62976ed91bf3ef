package dev.cidra.executor.service.inputs;

import dev.cidra.executor.Mount;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The host directories {@code localDirectory} inputs may mount ({@code cidra.inputs.local-directories}), compared by
 * real path: a source path is allowed when its real path (every symbolic link resolved) is inside an entry's real path,
 * so a link cannot lead out of an allowed directory. Read-write needs an {@code :rw} entry. Immutable.
 */
final class LocalDirectories {
    private record Entry(Path real, boolean writable) {}

    private final List<Entry> entries;

    /**
     * @param specs {@code PATH}, {@code PATH:ro} or {@code PATH:rw} each
     * @throws IllegalArgumentException naming an entry that is malformed or not an existing directory
     */
    LocalDirectories(List<String> specs) {
        var parsed = new ArrayList<Entry>();
        for (String spec : specs) {
            String path = spec;
            boolean writable = false;
            if (spec.endsWith(":rw") || spec.endsWith(":ro")) {
                path = spec.substring(0, spec.length() - 3);
                writable = spec.endsWith(":rw");
            }
            Path dir = Path.of(path);
            if (!dir.isAbsolute()) {
                throw new IllegalArgumentException(
                        "cidra.inputs.local-directories entry \"" + spec + "\" must be an absolute path");
            }
            try {
                Path real = dir.toRealPath();
                if (!Files.isDirectory(real)) {
                    throw new IllegalArgumentException(
                            "cidra.inputs.local-directories entry \"" + spec + "\" is not a directory");
                }
                parsed.add(new Entry(real, writable));
            } catch (IOException e) {
                throw new IllegalArgumentException(
                        "cidra.inputs.local-directories entry \"" + spec + "\" is not an accessible directory: " + e,
                        e);
            }
        }
        this.entries = List.copyOf(parsed);
    }

    /** The mount for {@code sourcePath} at {@code target}, after checking it is allowed. */
    Mount mount(String sourcePath, String target, boolean readWrite) throws InputException {
        Path real = allowed(sourcePath, readWrite);
        if (!Files.isDirectory(real)) {
            throw new InputException("SourcePath " + sourcePath + " is not a directory");
        }
        try {
            return new Mount(real, target, readWrite);
        } catch (IllegalArgumentException e) {
            throw new InputException(e.getMessage(), e);
        }
    }

    /**
     * The real path of {@code sourcePath} (a file or a directory), after checking it is allowed.
     *
     * @throws InputException if it is relative, missing, outside every allowed directory, or asked read-write where
     *     only read-only is allowed
     */
    Path allowed(String sourcePath, boolean readWrite) throws InputException {
        Path source = Path.of(sourcePath);
        if (!source.isAbsolute()) {
            throw new InputException("SourcePath \"" + sourcePath + "\" must be an absolute path");
        }
        Path real;
        try {
            real = source.toRealPath();
        } catch (NoSuchFileException e) {
            throw new InputException("SourcePath " + sourcePath + " does not exist", e);
        } catch (IOException e) {
            throw new InputException("SourcePath " + sourcePath + " is not accessible: " + e, e);
        }
        String shown = real.equals(source) ? sourcePath : sourcePath + " (real path " + real + ")";
        boolean allowed = false;
        boolean writable = false;
        for (Entry entry : entries) {
            if (real.startsWith(entry.real())) {
                allowed = true;
                writable |= entry.writable();
            }
        }
        if (!allowed) {
            throw new InputException(
                    "SourcePath " + shown + " is not inside a directory allowed by cidra.inputs.local-directories");
        }
        if (readWrite && !writable) {
            throw new InputException("SourcePath " + shown + " is allowed read-only; ReadWrite=true needs an :rw entry"
                    + " in cidra.inputs.local-directories");
        }
        return real;
    }
}
