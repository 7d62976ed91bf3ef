package dev.cidra.executor;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Resolves guest paths on the host, inside the mounts. A path is resolved component by component below the directory
 * descriptor it is relative to, never by the host: {@code ..} may not climb above that directory, absolute paths are
 * refused, and every symbolic link met on the way is read and resolved the same way (an absolute target, or one
 * climbing above the directory, is refused with ENOTCAPABLE; more than 32 links is ELOOP). The host path that comes out
 * contains no symbolic link the host would follow, except the last component when it is not to be followed. The
 * guest is the only writer of its mounts while it runs (one thread, no other invocation shares a writable mount), so
 * nothing can swap a component between its check and its use. Stateless.
 */
final class GuestPaths {
    private static final int MAX_LINKS = 32;
    private static final LinkOption[] NOFOLLOW = {LinkOption.NOFOLLOW_LINKS};

    private GuestPaths() {}

    /**
     * Where a guest path leads: {@code name} inside the real directory {@code parent}, or the directory itself when the
     * path ends in {@code .} or {@code ..} ({@code name} null). {@code slash}: the path ended with a slash.
     */
    record Target(Descriptor dir, Path parent, String name, boolean slash) {
        Path path() {
            return name == null ? parent : parent.resolve(name);
        }
    }

    /** Resolves {@code path} below directory {@code dir}; the last component is followed if {@code follow}. */
    static Target resolve(Descriptor dir, String path, boolean follow) throws IOException {
        if (path.isEmpty()) {
            throw new Errno(Errno.NOENT);
        }
        if (path.indexOf('\0') >= 0) {
            throw new Errno(Errno.INVAL);
        }
        if (path.startsWith("/")) {
            throw new Errno(Errno.NOTCAPABLE);
        }
        boolean slash = path.endsWith("/");
        var pending = new ArrayDeque<String>(components(path));
        var stack = new ArrayList<String>();
        int links = 0;
        String name = null;
        while (!pending.isEmpty()) {
            String c = pending.pollFirst();
            boolean last = pending.isEmpty();
            if (c.equals(".")) {
                continue;
            }
            if (c.equals("..")) {
                if (stack.isEmpty()) {
                    throw new Errno(Errno.NOTCAPABLE);
                }
                stack.removeLast();
                continue;
            }
            Path candidate = join(dir.host, stack).resolve(c);
            if (!last || follow || slash) {
                Map<String, Object> attributes = lstat(candidate);
                if (attributes != null && filetype(attributes) == Descriptor.FILETYPE_SYMBOLIC_LINK) {
                    if (++links > MAX_LINKS) {
                        throw new Errno(Errno.LOOP);
                    }
                    String target = Files.readSymbolicLink(candidate).toString();
                    if (target.startsWith("/")) {
                        throw new Errno(Errno.NOTCAPABLE);
                    }
                    List<String> parts = components(target);
                    for (int i = parts.size() - 1; i >= 0; i--) {
                        pending.addFirst(parts.get(i));
                    }
                    if (last && parts.isEmpty()) {
                        throw new Errno(Errno.NOENT);
                    }
                    continue;
                }
                if (!last) {
                    if (attributes == null) {
                        throw new Errno(Errno.NOENT);
                    }
                    if (filetype(attributes) != Descriptor.FILETYPE_DIRECTORY) {
                        throw new Errno(Errno.NOTDIR);
                    }
                    stack.add(c);
                    continue;
                }
            }
            name = c;
        }
        return new Target(dir, join(dir.host, stack), name, slash);
    }

    static List<String> components(String path) {
        var parts = new ArrayList<String>();
        for (String part : path.split("/")) {
            if (!part.isEmpty()) {
                parts.add(part);
            }
        }
        return parts;
    }

    private static Path join(Path base, List<String> names) {
        Path p = base;
        for (String n : names) {
            p = p.resolve(n);
        }
        return p;
    }

    /** The {@code unix} attributes of {@code path} itself, or null when nothing is there. */
    static Map<String, Object> lstat(Path path) throws IOException {
        try {
            return Files.readAttributes(
                    path, "unix:mode,ino,dev,nlink,size,lastAccessTime,lastModifiedTime,ctime", NOFOLLOW);
        } catch (java.nio.file.NoSuchFileException e) {
            return null;
        }
    }

    static int filetype(Map<String, Object> attributes) {
        int mode = (Integer) attributes.get("mode");
        return switch (mode & 0170000) {
            case 0040000 -> Descriptor.FILETYPE_DIRECTORY;
            case 0100000 -> Descriptor.FILETYPE_REGULAR_FILE;
            case 0120000 -> Descriptor.FILETYPE_SYMBOLIC_LINK;
            case 0020000 -> Descriptor.FILETYPE_CHARACTER_DEVICE;
            case 0060000 -> 1;
            default -> Descriptor.FILETYPE_UNKNOWN;
        };
    }

    static Map<String, Object> existing(Path path) throws IOException {
        Map<String, Object> attributes = lstat(path);
        if (attributes == null) {
            throw new Errno(Errno.NOENT);
        }
        return attributes;
    }
}
