package dev.cidra.executor;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.FileSystemLoopException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.NotLinkException;

/**
 * WASI preview 1 {@code errno} values (the numbers of {@code wasi_snapshot_preview1.witx}) and the one exception host
 * functions use to return one. A host function answers every failure with an errno: {@link #of(Throwable)} maps any
 * Java exception, so none reaches the guest's caller as a crash.
 */
final class Errno extends RuntimeException {
    static final int SUCCESS = 0;
    static final int TOOBIG = 1;
    static final int ACCES = 2;
    static final int AGAIN = 6;
    static final int BADF = 8;
    static final int BUSY = 10;
    static final int EXIST = 20;
    static final int FAULT = 21;
    static final int FBIG = 22;
    static final int ILSEQ = 25;
    static final int INVAL = 28;
    static final int IO = 29;
    static final int ISDIR = 31;
    static final int LOOP = 32;
    static final int MFILE = 33;
    static final int MLINK = 34;
    static final int NAMETOOLONG = 37;
    static final int NOENT = 44;
    static final int NOMEM = 48;
    static final int NOSPC = 51;
    static final int NOSYS = 52;
    static final int NOTDIR = 54;
    static final int NOTEMPTY = 55;
    static final int NOTSOCK = 57;
    static final int NOTSUP = 58;
    static final int NOTTY = 59;
    static final int OVERFLOW = 61;
    static final int PERM = 63;
    static final int PIPE = 64;
    static final int ROFS = 66;
    static final int SPIPE = 67;
    static final int XDEV = 72;
    static final int NOTCAPABLE = 76;

    final int code;

    Errno(int code) {
        super(null, null, false, false);
        this.code = code;
    }

    /**
     * The errno a guest sees for {@code failure}. Host exceptions carry the operating system's reason as text
     * ({@code FileSystemException.getReason()}), so the common POSIX reasons are recognised; anything else is EIO.
     */
    static int of(Throwable failure) {
        return switch (failure) {
            case Errno e -> e.code;
            case NoSuchFileException e -> NOENT;
            case FileAlreadyExistsException e -> EXIST;
            case DirectoryNotEmptyException e -> NOTEMPTY;
            case NotDirectoryException e -> NOTDIR;
            case NotLinkException e -> INVAL;
            case FileSystemLoopException e -> LOOP;
            case AccessDeniedException e -> ACCES;
            case FileSystemException e -> reason(e.getReason());
            case IndexOutOfBoundsException e -> FAULT;
            case OutOfMemoryError e -> NOMEM;
            case IOException e -> reason(e.getMessage());
            default -> IO;
        };
    }

    private static int reason(String reason) {
        if (reason == null) {
            return IO;
        }
        return switch (reason) {
            case "No such file or directory" -> NOENT;
            case "File exists" -> EXIST;
            case "Not a directory" -> NOTDIR;
            case "Is a directory" -> ISDIR;
            case "Directory not empty" -> NOTEMPTY;
            case "Too many levels of symbolic links" -> LOOP;
            case "Invalid argument" -> INVAL;
            case "No space left on device" -> NOSPC;
            case "Disk quota exceeded" -> 19;
            case "File too large" -> FBIG;
            case "Permission denied" -> ACCES;
            case "Operation not permitted" -> PERM;
            case "Too many links" -> MLINK;
            case "File name too long" -> NAMETOOLONG;
            case "Read-only file system" -> ROFS;
            case "Invalid cross-device link" -> XDEV;
            default -> IO;
        };
    }
}
