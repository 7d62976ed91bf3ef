package dev.cidra.executor;

import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * One entry of a guest's file descriptor table: a standard stream, a directory or an open file, with its WASI rights
 * and fd flags. Directories and files belong to a {@link Root} (the mount they were reached through); {@code host} is
 * a real host path inside it that no symbolic link leads to. Mutable, used by the guest's thread only.
 */
final class Descriptor {
    static final long FD_DATASYNC = 1L;
    static final long FD_READ = 1L << 1;
    static final long FD_SEEK = 1L << 2;
    static final long FD_FDSTAT_SET_FLAGS = 1L << 3;
    static final long FD_SYNC = 1L << 4;
    static final long FD_TELL = 1L << 5;
    static final long FD_WRITE = 1L << 6;
    static final long FD_ADVISE = 1L << 7;
    static final long FD_ALLOCATE = 1L << 8;
    static final long PATH_CREATE_DIRECTORY = 1L << 9;
    static final long PATH_CREATE_FILE = 1L << 10;
    static final long PATH_LINK_SOURCE = 1L << 11;
    static final long PATH_LINK_TARGET = 1L << 12;
    static final long PATH_OPEN = 1L << 13;
    static final long FD_READDIR = 1L << 14;
    static final long PATH_READLINK = 1L << 15;
    static final long PATH_RENAME_SOURCE = 1L << 16;
    static final long PATH_RENAME_TARGET = 1L << 17;
    static final long PATH_FILESTAT_GET = 1L << 18;
    static final long PATH_FILESTAT_SET_SIZE = 1L << 19;
    static final long PATH_FILESTAT_SET_TIMES = 1L << 20;
    static final long FD_FILESTAT_GET = 1L << 21;
    static final long FD_FILESTAT_SET_SIZE = 1L << 22;
    static final long FD_FILESTAT_SET_TIMES = 1L << 23;
    static final long PATH_SYMLINK = 1L << 24;
    static final long PATH_REMOVE_DIRECTORY = 1L << 25;
    static final long PATH_UNLINK_FILE = 1L << 26;
    static final long POLL_FD_READWRITE = 1L << 27;
    static final long SOCK_SHUTDOWN = 1L << 28;
    static final long SOCK_ACCEPT = 1L << 29;
    static final long ALL_RIGHTS = (1L << 30) - 1;

    /** What a regular file's descriptor can do. */
    static final long FILE_RIGHTS = FD_DATASYNC
            | FD_READ
            | FD_SEEK
            | FD_FDSTAT_SET_FLAGS
            | FD_SYNC
            | FD_TELL
            | FD_WRITE
            | FD_ADVISE
            | FD_ALLOCATE
            | FD_FILESTAT_GET
            | FD_FILESTAT_SET_SIZE
            | FD_FILESTAT_SET_TIMES
            | POLL_FD_READWRITE;
    /** What a directory's descriptor can do. */
    static final long DIRECTORY_RIGHTS = FD_FDSTAT_SET_FLAGS
            | FD_SYNC
            | FD_DATASYNC
            | FD_ADVISE
            | PATH_CREATE_DIRECTORY
            | PATH_CREATE_FILE
            | PATH_LINK_SOURCE
            | PATH_LINK_TARGET
            | PATH_OPEN
            | FD_READDIR
            | PATH_READLINK
            | PATH_RENAME_SOURCE
            | PATH_RENAME_TARGET
            | PATH_FILESTAT_GET
            | PATH_FILESTAT_SET_SIZE
            | PATH_FILESTAT_SET_TIMES
            | FD_FILESTAT_GET
            | FD_FILESTAT_SET_TIMES
            | PATH_SYMLINK
            | PATH_REMOVE_DIRECTORY
            | PATH_UNLINK_FILE
            | POLL_FD_READWRITE;
    /** What a standard stream's descriptor can do. */
    static final long STREAM_RIGHTS = FD_READ | FD_WRITE | FD_FDSTAT_SET_FLAGS | FD_FILESTAT_GET | POLL_FD_READWRITE;

    static final int FILETYPE_UNKNOWN = 0;
    static final int FILETYPE_CHARACTER_DEVICE = 2;
    static final int FILETYPE_DIRECTORY = 3;
    static final int FILETYPE_REGULAR_FILE = 4;
    static final int FILETYPE_SYMBOLIC_LINK = 7;

    static final int FDFLAGS_APPEND = 1;
    static final int FDFLAGS_ALL = 0x1F;

    /**
     * A mount as the guest's file descriptors see it.
     *
     * @param host the mount's real host directory
     * @param writable whether the guest may change anything below it
     * @param quota the budget writes below it draw on; null for read-only mounts
     */
    record Root(Path host, boolean writable, DiskQuota quota) {}

    /** One directory entry as fd_readdir returns it. */
    record Entry(String name, int filetype, long inode) {}

    final int filetype;
    long base;
    long inheriting;
    int flags;

    final InputStream in;
    final OutputStream out;
    final Root root;
    final Path host;
    final FileChannel channel;
    /** The guest path of a preopened directory, else null. */
    final String preopen;
    /** Entries of the last fd_readdir from cookie 0, reused for later cookies. */
    List<Entry> listing;
    /** The position fd_read and fd_write use (files only). */
    long position;
    /** A file's host attributes when it was opened; its identity ({@link #key}) and what fstat falls back on. */
    Map<String, Object> opened;
    /** Set when the file's last name was removed while this descriptor had it open: its bytes go with the close. */
    boolean unlinked;

    private Descriptor(
            int filetype,
            long base,
            long inheriting,
            InputStream in,
            OutputStream out,
            Root root,
            Path host,
            FileChannel channel,
            String preopen) {
        this.filetype = filetype;
        this.base = base;
        this.inheriting = inheriting;
        this.in = in;
        this.out = out;
        this.root = root;
        this.host = host;
        this.channel = channel;
        this.preopen = preopen;
    }

    static Descriptor input(InputStream in) {
        return new Descriptor(
                FILETYPE_CHARACTER_DEVICE, STREAM_RIGHTS & ~FD_WRITE, 0, in, null, null, null, null, null);
    }

    static Descriptor output(OutputStream out) {
        return new Descriptor(
                FILETYPE_CHARACTER_DEVICE, STREAM_RIGHTS & ~FD_READ, 0, null, out, null, null, null, null);
    }

    static Descriptor directory(Root root, Path host, long base, long inheriting, String preopen) {
        return new Descriptor(
                FILETYPE_DIRECTORY, base & DIRECTORY_RIGHTS, inheriting, null, null, root, host, null, preopen);
    }

    static Descriptor file(Root root, Path host, FileChannel channel, long base, long inheriting, int flags) {
        var file = new Descriptor(
                FILETYPE_REGULAR_FILE, base & FILE_RIGHTS, inheriting, null, null, root, host, channel, null);
        file.flags = flags;
        return file;
    }

    /** The identity of the host file behind {@code attributes}: device and inode. */
    static String key(Map<String, Object> attributes) {
        return attributes.get("dev") + ":" + attributes.get("ino");
    }

    /** Whether this is an open file with the identity {@code key}. */
    boolean holds(String key) {
        return opened != null && key.equals(key(opened));
    }

    boolean isDirectory() {
        return filetype == FILETYPE_DIRECTORY;
    }

    boolean isFile() {
        return channel != null;
    }

    /** Fails with ENOTCAPABLE unless this descriptor holds every one of {@code rights}. */
    Descriptor require(long rights) {
        if ((base & rights) != rights) {
            throw new Errno(Errno.NOTCAPABLE);
        }
        return this;
    }
}
