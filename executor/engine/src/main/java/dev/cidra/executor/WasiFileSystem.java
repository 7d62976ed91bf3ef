package dev.cidra.executor;

import static dev.cidra.executor.GuestPaths.components;
import static dev.cidra.executor.GuestPaths.existing;
import static dev.cidra.executor.GuestPaths.filetype;
import static dev.cidra.executor.GuestPaths.lstat;
import static dev.cidra.executor.GuestPaths.resolve;

import dev.cidra.executor.GuestPaths.Target;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributeView;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The {@code path_*} calls of WASI preview 1 and the file parts of the {@code fd_*} calls, on the host directories of
 * an invocation's mounts, with every guest path resolved by {@link GuestPaths} (the last component is opened with
 * {@code NOFOLLOW_LINKS}). A link the guest creates may not be absolute or contain {@code ..}, so no link it makes
 * leads out of its mount even for the host. The guest is the only writer
 * of its mounts while it runs (one thread, no other invocation shares a writable mount), so nothing can swap a
 * component between its check and its use.
 */
final class WasiFileSystem {
    static final int LOOKUP_SYMLINK_FOLLOW = 1;
    static final int OFLAGS_CREAT = 1;
    static final int OFLAGS_DIRECTORY = 2;
    static final int OFLAGS_EXCL = 4;
    static final int OFLAGS_TRUNC = 8;
    static final int FSTFLAGS_ATIM = 1;
    static final int FSTFLAGS_ATIM_NOW = 2;
    static final int FSTFLAGS_MTIM = 4;
    static final int FSTFLAGS_MTIM_NOW = 8;
    private static final LinkOption[] NOFOLLOW = {LinkOption.NOFOLLOW_LINKS};

    private final Entropy entropy;
    private final Collection<Descriptor> open;

    /** {@code open}: the invocation's descriptor table, read to find files still open when their name goes. */
    WasiFileSystem(Entropy entropy, Collection<Descriptor> open) {
        this.entropy = entropy;
        this.open = open;
    }

    private static void requireWritable(Descriptor dir) {
        if (!dir.root.writable()) {
            throw new Errno(Errno.ROFS);
        }
    }

    /** Writes a 64-byte filestat of {@code attributes} at {@code pointer}. */
    void filestat(GuestMemory memory, int pointer, Map<String, Object> attributes) {
        long dev = ((Number) attributes.get("dev")).longValue();
        memory.i64(pointer, entropy.device(dev));
        memory.i64(pointer + 8, entropy.inode(dev, ((Number) attributes.get("ino")).longValue()));
        memory.i64(pointer + 16, 0);
        memory.u8(pointer + 16, filetype(attributes));
        memory.i64(pointer + 24, ((Number) attributes.get("nlink")).longValue());
        memory.i64(pointer + 32, ((Number) attributes.get("size")).longValue());
        memory.i64(pointer + 40, entropy.fileTime(nanos((FileTime) attributes.get("lastAccessTime"))));
        memory.i64(pointer + 48, entropy.fileTime(nanos((FileTime) attributes.get("lastModifiedTime"))));
        memory.i64(pointer + 56, entropy.fileTime(nanos((FileTime) attributes.get("ctime"))));
    }

    private static long nanos(FileTime time) {
        Instant instant = time.toInstant();
        return instant.getEpochSecond() * 1_000_000_000L + instant.getNano();
    }

    int pathFilestatGet(GuestMemory memory, Descriptor dir, int flags, String path, int pointer) throws IOException {
        dir.require(Descriptor.PATH_FILESTAT_GET);
        Target t = resolve(dir, path, (flags & LOOKUP_SYMLINK_FOLLOW) != 0);
        Map<String, Object> attributes = existing(t.path());
        if (t.slash() && filetype(attributes) != Descriptor.FILETYPE_DIRECTORY) {
            return Errno.NOTDIR;
        }
        filestat(memory, pointer, attributes);
        return Errno.SUCCESS;
    }

    int pathFilestatSetTimes(Descriptor dir, int flags, String path, long atim, long mtim, int fstflags)
            throws IOException {
        checkTimes(fstflags);
        dir.require(Descriptor.PATH_FILESTAT_SET_TIMES);
        Target t = resolve(dir, path, (flags & LOOKUP_SYMLINK_FOLLOW) != 0);
        existing(t.path());
        requireWritable(dir);
        setTimes(t.path(), atim, mtim, fstflags);
        return Errno.SUCCESS;
    }

    static void checkTimes(int fstflags) {
        if ((fstflags & ~0xF) != 0
                || (fstflags & (FSTFLAGS_ATIM | FSTFLAGS_ATIM_NOW)) == (FSTFLAGS_ATIM | FSTFLAGS_ATIM_NOW)
                || (fstflags & (FSTFLAGS_MTIM | FSTFLAGS_MTIM_NOW)) == (FSTFLAGS_MTIM | FSTFLAGS_MTIM_NOW)) {
            throw new Errno(Errno.INVAL);
        }
    }

    void setTimes(Path path, long atim, long mtim, int fstflags) throws IOException {
        long now = entropy.time(Entropy.REALTIME);
        Long access = null;
        Long modified = null;
        if ((fstflags & FSTFLAGS_ATIM) != 0 || (fstflags & FSTFLAGS_ATIM_NOW) != 0) {
            access = (fstflags & FSTFLAGS_ATIM) != 0 ? atim : now;
        }
        if ((fstflags & FSTFLAGS_MTIM) != 0 || (fstflags & FSTFLAGS_MTIM_NOW) != 0) {
            modified = (fstflags & FSTFLAGS_MTIM) != 0 ? mtim : now;
        }
        if (access == null && modified == null) {
            return;
        }
        if (access != null) {
            entropy.fileTimeSet(access);
        }
        if (modified != null) {
            entropy.fileTimeSet(modified);
        }
        Files.getFileAttributeView(path, BasicFileAttributeView.class, NOFOLLOW)
                .setTimes(modified == null ? null : time(modified), access == null ? null : time(access), null);
    }

    private static FileTime time(long nanos) {
        return FileTime.from(Instant.ofEpochSecond(0, nanos));
    }

    int pathCreateDirectory(Descriptor dir, String path) throws IOException {
        dir.require(Descriptor.PATH_CREATE_DIRECTORY);
        Target t = resolve(dir, path, false);
        if (t.name() == null || lstat(t.path()) != null) {
            return Errno.EXIST;
        }
        requireWritable(dir);
        dir.root.quota().create();
        try {
            Files.createDirectory(t.path());
        } catch (IOException | RuntimeException e) {
            dir.root.quota().removed(0);
            throw e;
        }
        return Errno.SUCCESS;
    }

    int pathRemoveDirectory(Descriptor dir, String path) throws IOException {
        dir.require(Descriptor.PATH_REMOVE_DIRECTORY);
        Target t = resolve(dir, path, false);
        if (t.name() == null) {
            return path.endsWith("..") ? Errno.NOTEMPTY : Errno.INVAL;
        }
        if (filetype(existing(t.path())) != Descriptor.FILETYPE_DIRECTORY) {
            return Errno.NOTDIR;
        }
        requireWritable(dir);
        Files.delete(t.path());
        dir.root.quota().removed(0);
        return Errno.SUCCESS;
    }

    int pathUnlinkFile(Descriptor dir, String path) throws IOException {
        dir.require(Descriptor.PATH_UNLINK_FILE);
        Target t = resolve(dir, path, false);
        if (t.name() == null) {
            return Errno.ISDIR;
        }
        Map<String, Object> attributes = existing(t.path());
        int type = filetype(attributes);
        if (type == Descriptor.FILETYPE_DIRECTORY) {
            return Errno.ISDIR;
        }
        if (t.slash()) {
            return Errno.NOTDIR;
        }
        requireWritable(dir);
        Files.delete(t.path());
        dir.root.quota().removed(released(attributes));
        return Errno.SUCCESS;
    }

    /**
     * The bytes freed by removing a name of a file: its size if it was the last link and no descriptor has it open;
     * 0 if other links keep it, or if it is open (its descriptors are marked, and the last one's close frees it).
     */
    private long released(Map<String, Object> attributes) {
        if (filetype(attributes) != Descriptor.FILETYPE_REGULAR_FILE
                || ((Number) attributes.get("nlink")).longValue() > 1) {
            return 0;
        }
        String key = Descriptor.key(attributes);
        boolean stillOpen = false;
        for (Descriptor d : open) {
            if (d.holds(key)) {
                d.unlinked = true;
                stillOpen = true;
            }
        }
        return stillOpen ? 0 : ((Number) attributes.get("size")).longValue();
    }

    int pathLink(Descriptor from, int flags, String fromPath, Descriptor to, String toPath) throws IOException {
        from.require(Descriptor.PATH_LINK_SOURCE);
        to.require(Descriptor.PATH_LINK_TARGET);
        Target source = resolve(from, fromPath, (flags & LOOKUP_SYMLINK_FOLLOW) != 0);
        Target target = resolve(to, toPath, false);
        Map<String, Object> attributes = existing(source.path());
        if (filetype(attributes) == Descriptor.FILETYPE_DIRECTORY) {
            return Errno.PERM;
        }
        if (source.slash()) {
            return Errno.NOTDIR;
        }
        if (target.name() == null || lstat(target.path()) != null) {
            return Errno.EXIST;
        }
        if (target.slash()) {
            return Errno.NOENT;
        }
        if (from.root != to.root) {
            return Errno.XDEV;
        }
        requireWritable(to);
        to.root.quota().create();
        try {
            Files.createLink(target.path(), source.path());
        } catch (IOException | RuntimeException e) {
            to.root.quota().removed(0);
            throw e;
        }
        return Errno.SUCCESS;
    }

    int pathSymlink(String linkTarget, Descriptor dir, String path) throws IOException {
        dir.require(Descriptor.PATH_SYMLINK);
        Target t = resolve(dir, path, false);
        if (t.name() == null || lstat(t.path()) != null) {
            return Errno.EXIST;
        }
        if (t.slash()) {
            return Errno.NOENT;
        }
        if (linkTarget.isEmpty()) {
            return Errno.NOENT;
        }
        // A link the guest makes must not point out of the mount for whoever follows it later, the host included
        // (publishing /outputs). A target without ".." that is not absolute can only lead below the link's own
        // directory, through links that obey the same rule, whatever is renamed or replaced later.
        if (linkTarget.startsWith("/")
                || linkTarget.indexOf('\0') >= 0
                || components(linkTarget).contains("..")) {
            return Errno.PERM;
        }
        requireWritable(dir);
        dir.root.quota().create();
        try {
            Files.createSymbolicLink(t.path(), Path.of(linkTarget));
        } catch (IOException | RuntimeException e) {
            dir.root.quota().removed(0);
            throw e;
        }
        return Errno.SUCCESS;
    }

    int pathReadlink(GuestMemory memory, Descriptor dir, String path, int buf, int length, int used)
            throws IOException {
        dir.require(Descriptor.PATH_READLINK);
        Target t = resolve(dir, path, false);
        if (t.name() == null || filetype(existing(t.path())) != Descriptor.FILETYPE_SYMBOLIC_LINK) {
            return Errno.INVAL;
        }
        byte[] target = Files.readSymbolicLink(t.path()).toString().getBytes(StandardCharsets.UTF_8);
        int n = Math.min(target.length, length);
        memory.write(buf, target, 0, n);
        memory.i32(used, n);
        return Errno.SUCCESS;
    }

    int pathRename(Descriptor from, String fromPath, Descriptor to, String toPath) throws IOException {
        from.require(Descriptor.PATH_RENAME_SOURCE);
        to.require(Descriptor.PATH_RENAME_TARGET);
        Target source = resolve(from, fromPath, false);
        Target target = resolve(to, toPath, false);
        if (source.name() == null || target.name() == null) {
            return Errno.BUSY;
        }
        Map<String, Object> attributes = existing(source.path());
        boolean directory = filetype(attributes) == Descriptor.FILETYPE_DIRECTORY;
        if (!directory && (source.slash() || target.slash())) {
            return Errno.NOTDIR;
        }
        Map<String, Object> replaced = lstat(target.path());
        if (replaced != null) {
            boolean replacedDirectory = filetype(replaced) == Descriptor.FILETYPE_DIRECTORY;
            if (directory && !replacedDirectory) {
                return Errno.NOTDIR;
            }
            if (!directory && replacedDirectory) {
                return Errno.ISDIR;
            }
            if (replaced.get("ino").equals(attributes.get("ino"))
                    && replaced.get("dev").equals(attributes.get("dev"))) {
                return Errno.SUCCESS;
            }
        }
        if (from.root != to.root) {
            return Errno.XDEV;
        }
        requireWritable(to);
        if (directory && target.path().startsWith(source.path())) {
            return Errno.INVAL;
        }
        Files.move(source.path(), target.path(), StandardCopyOption.ATOMIC_MOVE);
        if (replaced != null) {
            to.root.quota().removed(released(replaced));
        }
        return Errno.SUCCESS;
    }

    /** path_open: a new descriptor, or an errno. */
    Descriptor pathOpen(Descriptor dir, int lookup, String path, int oflags, long base, long inheriting, int fdflags)
            throws IOException {
        dir.require(Descriptor.PATH_OPEN);
        if ((oflags & ~0xF) != 0 || (fdflags & ~Descriptor.FDFLAGS_ALL) != 0) {
            throw new Errno(Errno.INVAL);
        }
        boolean create = (oflags & OFLAGS_CREAT) != 0;
        boolean exclusive = create && (oflags & OFLAGS_EXCL) != 0;
        boolean truncate = (oflags & OFLAGS_TRUNC) != 0;
        boolean wantsDirectory = (oflags & OFLAGS_DIRECTORY) != 0;
        if (create) {
            dir.require(Descriptor.PATH_CREATE_FILE);
        }
        if (truncate) {
            dir.require(Descriptor.PATH_FILESTAT_SET_SIZE);
        }
        Target t = resolve(dir, path, !exclusive && (lookup & LOOKUP_SYMLINK_FOLLOW) != 0);
        Path file = t.path();
        Map<String, Object> attributes = lstat(file);
        long fileBase = base & dir.inheriting;
        long fileInheriting = inheriting & dir.inheriting;
        if (attributes != null) {
            if (exclusive) {
                throw new Errno(Errno.EXIST);
            }
            int type = filetype(attributes);
            if (type == Descriptor.FILETYPE_SYMBOLIC_LINK) {
                throw new Errno(Errno.LOOP);
            }
            if (type == Descriptor.FILETYPE_DIRECTORY) {
                if ((base & Descriptor.FD_WRITE) != 0 || truncate || (fdflags & Descriptor.FDFLAGS_APPEND) != 0) {
                    throw new Errno(Errno.ISDIR);
                }
                var opened = Descriptor.directory(dir.root, file, fileBase, fileInheriting, null);
                opened.flags = fdflags;
                return opened;
            }
            if (wantsDirectory || t.slash()) {
                throw new Errno(Errno.NOTDIR);
            }
        } else {
            if (!create) {
                throw new Errno(Errno.NOENT);
            }
            if (wantsDirectory || t.slash() || t.name() == null) {
                throw new Errno(t.slash() ? Errno.ISDIR : Errno.INVAL);
            }
            requireWritable(dir);
        }
        boolean write = (base & (Descriptor.FD_WRITE | Descriptor.FD_ALLOCATE | Descriptor.FD_FILESTAT_SET_SIZE)) != 0
                || (fdflags & Descriptor.FDFLAGS_APPEND) != 0;
        if ((write || truncate) && !dir.root.writable()) {
            throw new Errno(Errno.ROFS);
        }
        Set<OpenOption> options = new HashSet<>();
        options.add(LinkOption.NOFOLLOW_LINKS);
        options.add(StandardOpenOption.READ);
        if (dir.root.writable()) {
            options.add(StandardOpenOption.WRITE);
        }
        FileChannel channel;
        if (attributes == null) {
            dir.root.quota().create();
            options.add(StandardOpenOption.CREATE_NEW);
            try {
                channel = FileChannel.open(file, options);
            } catch (IOException | RuntimeException e) {
                dir.root.quota().removed(0);
                throw e;
            }
        } else {
            channel = FileChannel.open(file, options);
            if (truncate) {
                long size = channel.size();
                channel.truncate(0);
                dir.root.quota().grow(-size);
            }
        }
        Descriptor opened = Descriptor.file(dir.root, file, channel, fileBase, fileInheriting, fdflags);
        opened.opened = existing(file);
        return opened;
    }

    /** fd_readdir into {@code [buf, buf + length)}; the number of bytes used goes to {@code used}. */
    void readdir(GuestMemory memory, Descriptor dir, int buf, int length, long cookie, int used) throws IOException {
        dir.require(Descriptor.FD_READDIR);
        if (cookie == 0 || dir.listing == null) {
            dir.listing = list(dir);
        }
        List<Descriptor.Entry> entries = dir.listing;
        memory.check(buf, length);
        int at = 0;
        for (long i = cookie; i < entries.size() && at < length; i++) {
            Descriptor.Entry entry = entries.get((int) i);
            byte[] name = entry.name().getBytes(StandardCharsets.UTF_8);
            var record = ByteBuffer.allocate(24 + name.length).order(java.nio.ByteOrder.LITTLE_ENDIAN);
            record.putLong(i + 1).putLong(entry.inode()).putInt(name.length).put((byte) entry.filetype());
            record.position(24);
            record.put(name);
            int n = Math.min(record.capacity(), length - at);
            memory.write(buf + at, record.array(), 0, n);
            at += n;
        }
        memory.i32(used, at);
    }

    /** {@code .}, {@code ..} and the directory's entries sorted by name (a fixed order, whatever the host's). */
    private List<Descriptor.Entry> list(Descriptor dir) throws IOException {
        var names = new ArrayList<String>();
        try (DirectoryStream<Path> stream = Files.newDirectoryStream(dir.host)) {
            for (Path p : stream) {
                names.add(p.getFileName().toString());
            }
        }
        names.sort(null);
        var entries = new ArrayList<Descriptor.Entry>(names.size() + 2);
        Map<String, Object> self = existing(dir.host);
        entries.add(entry(".", self));
        Path parent = dir.host.equals(dir.root.host()) ? dir.host : dir.host.getParent();
        entries.add(entry("..", existing(parent)));
        for (String name : names) {
            Map<String, Object> attributes = lstat(dir.host.resolve(name));
            if (attributes != null) {
                entries.add(entry(name, attributes));
            }
        }
        return entries;
    }

    private Descriptor.Entry entry(String name, Map<String, Object> attributes) {
        long dev = ((Number) attributes.get("dev")).longValue();
        return new Descriptor.Entry(
                name, filetype(attributes), entropy.inode(dev, ((Number) attributes.get("ino")).longValue()));
    }
}
