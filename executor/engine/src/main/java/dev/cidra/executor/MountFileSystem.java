package dev.cidra.executor;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.AccessDeniedException;
import java.nio.file.AccessMode;
import java.nio.file.CopyOption;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.graalvm.polyglot.io.FileSystem;

/**
 * The only file system a guest sees: the host's, confined to the invocation's mounts. Every path is resolved on the
 * host first, following symbolic links ({@link Path#toRealPath}), and the operation then runs on the resolved path,
 * so neither {@code ..} nor a link can lead outside a mount. Writes need a writable mount; links cannot be created or
 * read. Denials surface to the guest as EACCES/ENOTCAPABLE. Thread-safe (stateless after construction).
 */
final class MountFileSystem implements FileSystem {
    private record Root(Path real, Path guest, boolean writable) {}

    private final FileSystem host = FileSystem.newDefaultFileSystem();
    private final List<Root> roots;

    MountFileSystem(List<Mount> mounts) {
        this.roots = mounts.stream()
                .map(m -> {
                    try {
                        return new Root(m.host().toRealPath(), Path.of(m.guest()), m.writable());
                    } catch (IOException e) {
                        throw new UncheckedIOException(
                                "mount " + m.host() + " at " + m.guest() + ": host directory is not accessible", e);
                    }
                })
                .sorted(Comparator.comparingInt((Root r) -> r.real().getNameCount())
                        .reversed())
                .toList();
        for (Mount m : mounts) {
            if (!Files.isDirectory(m.host())) {
                throw new IllegalArgumentException(
                        "mount " + m.host() + " at " + m.guest() + ": host path is not a directory");
            }
        }
    }

    private record Resolved(Path real, Root root) {}

    /** Resolves {@code path} on the host and checks it stays inside a mount (a writable one if {@code write}). */
    private Path confine(Path path, boolean write, boolean followLinks) throws IOException {
        Resolved resolved = resolve(path, followLinks);
        if (write) {
            requireWritable(resolved, path);
        }
        return resolved.real();
    }

    private Resolved resolve(Path path, boolean followLinks) throws IOException {
        Path absolute = hostPath(path.toAbsolutePath().normalize());
        Path real;
        if (followLinks && Files.exists(absolute)) {
            real = absolute.toRealPath();
        } else {
            Path parent = absolute.getParent();
            if (parent == null) {
                throw new AccessDeniedException(path.toString(), null, "outside the guest's mounts");
            }
            if (!Files.exists(parent)) {
                throw new NoSuchFileException(path.toString());
            }
            real = parent.toRealPath().resolve(absolute.getFileName());
        }
        for (Root root : roots) {
            if (real.startsWith(root.real())) {
                return new Resolved(real, root);
            }
        }
        throw new AccessDeniedException(path.toString(), null, "outside the guest's mounts");
    }

    /**
     * GraalWasm hands this file system host paths, except when it lists a directory: then it passes the guest's path
     * and reads the entries' attributes by guest path too. A path inside no mount's host directory but inside a mount's
     * guest path is therefore mapped onto that mount's host directory. The result is confined like any other path, so
     * the mapping can only ever lead into a mount.
     */
    private Path hostPath(Path absolute) {
        for (Root root : roots) {
            if (absolute.startsWith(root.real())) {
                return absolute;
            }
        }
        Root best = null;
        for (Root root : roots) {
            if (absolute.startsWith(root.guest())
                    && (best == null
                            || root.guest().getNameCount() > best.guest().getNameCount())) {
                best = root;
            }
        }
        return best == null ? absolute : best.real().resolve(best.guest().relativize(absolute));
    }

    private static void requireWritable(Resolved resolved, Path path) throws AccessDeniedException {
        if (!resolved.root().writable()) {
            throw new AccessDeniedException(path.toString(), null, "read-only mount");
        }
        if (resolved.real().equals(resolved.root().real())) {
            throw new AccessDeniedException(path.toString(), null, "a mount's root cannot be changed");
        }
    }

    @Override
    public Path parsePath(URI uri) {
        return host.parsePath(uri);
    }

    @Override
    public Path parsePath(String path) {
        return host.parsePath(path);
    }

    @Override
    public void checkAccess(Path path, Set<? extends AccessMode> modes, LinkOption... linkOptions) throws IOException {
        Path real = confine(path, modes.contains(AccessMode.WRITE), follows(linkOptions));
        host.checkAccess(real, modes, linkOptions);
    }

    @Override
    public void createDirectory(Path dir, FileAttribute<?>... attrs) throws IOException {
        host.createDirectory(confine(dir, true, false), attrs);
    }

    @Override
    public void delete(Path path) throws IOException {
        host.delete(confine(path, true, false));
    }

    @Override
    public SeekableByteChannel newByteChannel(Path path, Set<? extends OpenOption> options, FileAttribute<?>... attrs)
            throws IOException {
        boolean changes = options.contains(StandardOpenOption.APPEND)
                || options.contains(StandardOpenOption.CREATE)
                || options.contains(StandardOpenOption.CREATE_NEW)
                || options.contains(StandardOpenOption.TRUNCATE_EXISTING)
                || options.contains(StandardOpenOption.DELETE_ON_CLOSE);
        Resolved resolved = resolve(path, !options.contains(LinkOption.NOFOLLOW_LINKS));
        if (changes) {
            requireWritable(resolved, path);
        } else if (options.contains(StandardOpenOption.WRITE)
                && !resolved.root().writable()) {
            // GraalWasm asks for WRITE on every open, whatever the guest's oflags; on a read-only mount the file is
            // opened for reading only, and the guest's writes to it fail.
            var readOnly = new HashSet<OpenOption>(options);
            readOnly.remove(StandardOpenOption.WRITE);
            readOnly.add(StandardOpenOption.READ);
            return new ReadOnlyChannel(host.newByteChannel(resolved.real(), readOnly, attrs), path);
        } else if (options.contains(StandardOpenOption.WRITE)) {
            requireWritable(resolved, path);
        }
        return host.newByteChannel(resolved.real(), options, attrs);
    }

    @Override
    public DirectoryStream<Path> newDirectoryStream(Path dir, DirectoryStream.Filter<? super Path> filter)
            throws IOException {
        return host.newDirectoryStream(confine(dir, false, true), filter);
    }

    @Override
    public Path toAbsolutePath(Path path) {
        if (!path.isAbsolute()) {
            throw new SecurityException("relative host path " + path + ": the guest has no working directory");
        }
        return path;
    }

    @Override
    public Path toRealPath(Path path, LinkOption... linkOptions) throws IOException {
        return confine(path, false, follows(linkOptions));
    }

    @Override
    public Map<String, Object> readAttributes(Path path, String attributes, LinkOption... options) throws IOException {
        return host.readAttributes(attributeSource(path, options), attributes, options);
    }

    /**
     * The host path whose attributes {@code path} shows. A directory listing includes {@code ..}, which for a mount's
     * root is a directory above every mount (such as {@code /}); such a guest directory shows the attributes of the
     * mount's own root, so listing a mount works without revealing anything about the host above it.
     */
    private Path attributeSource(Path path, LinkOption... options) throws IOException {
        Path absolute = path.toAbsolutePath().normalize();
        for (Root root : roots) {
            if (root.guest().startsWith(absolute)
                    && !root.guest().equals(absolute)
                    && roots.stream().noneMatch(r -> absolute.startsWith(r.real()))) {
                return root.real();
            }
        }
        return confine(path, false, follows(options));
    }

    @Override
    public void setAttribute(Path path, String attribute, Object value, LinkOption... options) throws IOException {
        host.setAttribute(confine(path, true, follows(options)), attribute, value, options);
    }

    @Override
    public void move(Path source, Path target, CopyOption... options) throws IOException {
        host.move(confine(source, true, false), confine(target, true, false), options);
    }

    @Override
    public void copy(Path source, Path target, CopyOption... options) throws IOException {
        host.copy(confine(source, false, true), confine(target, true, false), options);
    }

    @Override
    public void createLink(Path link, Path existing) throws IOException {
        throw new AccessDeniedException(link.toString(), null, "guests cannot create links");
    }

    @Override
    public void createSymbolicLink(Path link, Path target, FileAttribute<?>... attrs) throws IOException {
        throw new AccessDeniedException(link.toString(), null, "guests cannot create links");
    }

    @Override
    public Path readSymbolicLink(Path link) throws IOException {
        throw new AccessDeniedException(link.toString(), null, "guests cannot read link targets");
    }

    private static boolean follows(LinkOption... options) {
        for (LinkOption option : options) {
            if (option == LinkOption.NOFOLLOW_LINKS) {
                return false;
            }
        }
        return true;
    }

    /** A channel whose writes fail with an I/O error the guest sees as errno, instead of an unchecked exception. */
    private record ReadOnlyChannel(SeekableByteChannel channel, Path path) implements SeekableByteChannel {
        @Override
        public int read(ByteBuffer dst) throws IOException {
            return channel.read(dst);
        }

        @Override
        public int write(ByteBuffer src) throws IOException {
            throw new AccessDeniedException(path.toString(), null, "read-only mount");
        }

        @Override
        public long position() throws IOException {
            return channel.position();
        }

        @Override
        public SeekableByteChannel position(long newPosition) throws IOException {
            channel.position(newPosition);
            return this;
        }

        @Override
        public long size() throws IOException {
            return channel.size();
        }

        @Override
        public SeekableByteChannel truncate(long size) throws IOException {
            throw new AccessDeniedException(path.toString(), null, "read-only mount");
        }

        @Override
        public boolean isOpen() {
            return channel.isOpen();
        }

        @Override
        public void close() throws IOException {
            channel.close();
        }
    }
}
