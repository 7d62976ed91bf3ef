package dev.cidra.executor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Containment of guest paths: links made on the host side, however they are chained, never resolve outside the
 * directory a path is relative to; inside it they work.
 */
class GuestPathsTest {
    @TempDir
    Path tmp;

    private Path mount;
    private Descriptor root;

    @BeforeEach
    void mount() throws IOException {
        mount = Files.createDirectories(tmp.resolve("mount")).toRealPath();
        Files.writeString(tmp.resolve("secret.txt"), "outside\n");
        Files.createDirectories(mount.resolve("a/b"));
        Files.writeString(mount.resolve("a/b/file.txt"), "inside\n");
        root = Descriptor.directory(
                new Descriptor.Root(mount, true, new DiskQuota(1 << 20, 100)),
                mount,
                Descriptor.DIRECTORY_RIGHTS,
                Descriptor.ALL_RIGHTS,
                "/");
    }

    private int errno(String path, boolean follow) {
        return assertThrows(Errno.class, () -> GuestPaths.resolve(root, path, follow)).code;
    }

    @Test
    void linksInsideTheMountAreFollowed() throws IOException {
        Files.createSymbolicLink(mount.resolve("to-b"), Path.of("a/b"));
        Files.createSymbolicLink(mount.resolve("a/up"), Path.of("../a/b/file.txt"));
        assertEquals(
                mount.resolve("a/b/file.txt"),
                GuestPaths.resolve(root, "to-b/file.txt", true).path());
        assertEquals(
                mount.resolve("a/b/file.txt"),
                GuestPaths.resolve(root, "a/up", true).path());
        // Not following the last component leaves the link itself.
        assertEquals(
                mount.resolve("a/up"), GuestPaths.resolve(root, "a/up", false).path());
    }

    @Test
    void linksPointingOutAreNeverFollowedOut() throws IOException {
        Files.createSymbolicLink(mount.resolve("absolute"), tmp.resolve("secret.txt"));
        Files.createSymbolicLink(mount.resolve("climb"), Path.of("../secret.txt"));
        Files.createSymbolicLink(mount.resolve("a/deep"), Path.of("b/../../.."));
        Files.createSymbolicLink(mount.resolve("chain"), Path.of("a/deep"));
        assertEquals(Errno.NOTCAPABLE, errno("absolute", true));
        assertEquals(Errno.NOTCAPABLE, errno("climb", true));
        assertEquals(Errno.NOTCAPABLE, errno("chain/secret.txt", true));
        assertEquals(Errno.NOTCAPABLE, errno("a/deep/mount", true));
        assertEquals(Errno.NOTCAPABLE, errno("../secret.txt", false));
        assertEquals(Errno.NOTCAPABLE, errno("/etc/passwd", false));
        // Unfollowed, such a link is only a name inside the mount (readlink, lstat, unlink work on it).
        assertEquals(
                mount.resolve("climb"), GuestPaths.resolve(root, "climb", false).path());
    }

    @Test
    void aDirectoryDescriptorConfinesToItself() throws IOException {
        Files.createDirectories(mount.resolve("a/b/c"));
        var b = Descriptor.directory(
                root.root, mount.resolve("a/b"), Descriptor.DIRECTORY_RIGHTS, Descriptor.ALL_RIGHTS, null);
        assertEquals(
                Errno.NOTCAPABLE, assertThrows(Errno.class, () -> GuestPaths.resolve(b, "../b/file.txt", true)).code);
        assertEquals(
                mount.resolve("a/b/file.txt"),
                GuestPaths.resolve(b, "./c/../file.txt", false).path().normalize());
    }

    @Test
    void loopsMissingPartsAndFilesUsedAsDirectories() throws IOException {
        Files.createSymbolicLink(mount.resolve("loop"), Path.of("loop"));
        assertEquals(Errno.LOOP, errno("loop", true));
        assertEquals(Errno.LOOP, errno("loop/x", false));
        assertEquals(Errno.NOENT, errno("missing/x", false));
        assertEquals(Errno.NOENT, errno("missing/../a", false));
        assertEquals(Errno.NOTDIR, errno("a/b/file.txt/x", false));
        assertEquals(Errno.NOENT, errno("", false));
        GuestPaths.Target dot = GuestPaths.resolve(root, "a/b/..", false);
        assertNull(dot.name());
        assertEquals(mount.resolve("a"), dot.path());
    }
}
