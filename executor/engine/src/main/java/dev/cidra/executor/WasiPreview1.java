package dev.cidra.executor;

import dev.cidra.registry.ImportGraph;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.LockSupport;
import org.graalvm.polyglot.PolyglotException;
import org.graalvm.polyglot.Value;
import org.graalvm.polyglot.proxy.ProxyExecutable;
import org.graalvm.polyglot.proxy.ProxyObject;

/**
 * WASI preview 1 ({@code wasi_snapshot_preview1}) for one invocation, as host functions linked through the import
 * object: arguments, environment, clocks, random bytes, standard streams, the file descriptor table and the file calls
 * of {@link WasiFileSystem}. Each module instance of the invocation gets its own import object bound to its own
 * exported memory ({@link #module}); all share one descriptor table.
 *
 * <p>Guarantees: a host function never throws into the guest for anything the guest does: every failure is a WASI
 * errno ({@link Errno#of}). Only {@code proc_exit} ({@link Exit}), a stop of the invocation ({@link Stopped}) and a
 * call with the wrong number of parameters ({@link Misuse}, a trap) end the run. Not thread-safe: the guest's thread calls it; {@link #stop} may come from any thread.
 */
final class WasiPreview1 {
    /** The guest called {@code proc_exit}. */
    static final class Exit extends RuntimeException {
        final int code;

        Exit(int code) {
            super("proc_exit(" + code + ")", null, false, false);
            this.code = code;
        }
    }

    /** The guest called a WASI function with another signature than preview 1 gives it: the run traps. */
    static final class Misuse extends RuntimeException {
        Misuse(String message) {
            super(message, null, false, false);
        }
    }

    /** The invocation was stopped (timeout) while the guest was inside a host call. */
    static final class Stopped extends RuntimeException {
        Stopped() {
            super("stopped", null, false, false);
        }
    }

    /** A preview 1 function's implementation, given the invocation's WASI {@code w}. */
    @FunctionalInterface
    private interface Call {
        int call(WasiPreview1 w, GuestMemory memory, Value[] a) throws IOException;
    }

    /** A preview 1 function: its name, its number of parameters and what it does. */
    private record Function(String name, int arity, Call call) {}

    /** Every preview 1 function, each once; stateless, shared by every invocation. */
    private static final List<Function> FUNCTIONS = functions();

    private static final int EVENTTYPE_CLOCK = 0;
    private static final int EVENTTYPE_FD_READ = 1;
    private static final int EVENTTYPE_FD_WRITE = 2;
    private static final int MAX_FDS = 1024;

    private final byte[][] args;
    private final byte[][] env;
    private final Entropy entropy;
    private final WasiFileSystem files;
    private final Map<Integer, Descriptor> fds = new HashMap<>();
    private volatile boolean stopped;
    private volatile Thread guest;

    WasiPreview1(
            List<String> argv,
            Map<String, String> environment,
            InputStream stdin,
            OutputStream stdout,
            OutputStream stderr,
            List<Descriptor.Root> roots,
            List<String> guestPaths,
            Entropy entropy) {
        this.args = argv.stream().map(WasiPreview1::cString).toArray(byte[][]::new);
        this.env = environment.entrySet().stream()
                .sorted(Map.Entry.comparingByKey())
                .map(e -> cString(e.getKey() + "=" + e.getValue()))
                .toArray(byte[][]::new);
        this.entropy = entropy;
        this.files = new WasiFileSystem(entropy, fds.values());
        fds.put(0, Descriptor.input(stdin));
        fds.put(1, Descriptor.output(stdout));
        fds.put(2, Descriptor.output(stderr));
        for (int i = 0; i < roots.size(); i++) {
            Descriptor.Root root = roots.get(i);
            fds.put(
                    3 + i,
                    Descriptor.directory(
                            root, root.host(), Descriptor.DIRECTORY_RIGHTS, Descriptor.ALL_RIGHTS, guestPaths.get(i)));
        }
    }

    private static List<Function> functions() {
        var f = new ArrayList<Function>();
        core(f);
        descriptors(f);
        paths(f);
        if (f.stream().map(Function::name).distinct().count() != f.size()) {
            throw new IllegalStateException("a WASI preview 1 function implemented twice");
        }
        return List.copyOf(f);
    }

    private static byte[] cString(String s) {
        byte[] utf8 = s.getBytes(StandardCharsets.UTF_8);
        byte[] c = new byte[utf8.length + 1];
        System.arraycopy(utf8, 0, c, 0, utf8.length);
        return c;
    }

    /** Ends every host call in progress or to come with {@link Stopped}; callable from any thread. */
    void stop() {
        stopped = true;
        Thread thread = guest;
        if (thread != null) {
            LockSupport.unpark(thread);
        }
    }

    /**
     * The import object member {@code wasi_snapshot_preview1} for one module instance, reading {@code memory}: every
     * preview 1 function, each calling the WASI that {@code host} holds when the guest calls it. A call while
     * {@code host} holds none (a start function running during instantiation, before an invocation was bound) traps.
     */
    static ProxyObject module(Binding host, GuestMemory memory) {
        var members = new HashMap<String, Object>();
        for (Function f : FUNCTIONS) {
            members.put(f.name, (ProxyExecutable) a -> {
                if (a.length != f.arity) {
                    throw new Misuse("the module imports " + ImportGraph.WASI_MODULE + "." + f.name + " with "
                            + a.length + " parameters; WASI preview 1 gives it " + f.arity);
                }
                WasiPreview1 wasi = host.wasi;
                if (wasi == null) {
                    throw new Misuse("the module called " + ImportGraph.WASI_MODULE + "." + f.name
                            + " while it was being instantiated, before it had an invocation");
                }
                return wasi.invoke(f.call, memory, a);
            });
        }
        return ProxyObject.fromMap(members);
    }

    /**
     * Which invocation's WASI the functions of {@link #module} call: none until {@link #bind}, then one for good. Lets
     * a context be instantiated before the invocation that uses it exists.
     */
    static final class Binding {
        private volatile WasiPreview1 wasi;

        /** Binds the invocation's WASI; once only. */
        void bind(WasiPreview1 value) {
            if (wasi != null) {
                throw new IllegalStateException("a context serves one invocation only");
            }
            wasi = value;
        }
    }

    private Object invoke(Call call, GuestMemory memory, Value[] a) {
        guest = Thread.currentThread();
        if (stopped) {
            throw new Stopped();
        }
        try {
            return call.call(this, memory, a);
        } catch (Exit | Stopped | Misuse e) {
            throw e;
        } catch (PolyglotException e) {
            if (e.isCancelled() || e.isInterrupted() || e.isExit()) {
                throw e;
            }
            return Errno.of(e);
        } catch (Throwable e) {
            return Errno.of(e);
        }
    }

    private Descriptor fd(int fd) {
        Descriptor d = fds.get(fd);
        if (d == null) {
            throw new Errno(Errno.BADF);
        }
        return d;
    }

    private Descriptor dir(int fd) {
        Descriptor d = fd(fd);
        if (!d.isDirectory()) {
            throw new Errno(Errno.NOTDIR);
        }
        return d;
    }

    private int add(Descriptor d) {
        for (int fd = 3; fd < MAX_FDS; fd++) {
            if (!fds.containsKey(fd)) {
                fds.put(fd, d);
                return fd;
            }
        }
        close(d);
        throw new Errno(Errno.MFILE);
    }

    /**
     * Closes a descriptor the guest let go of. The last descriptor of a file whose last name was removed meanwhile
     * frees its bytes from the quota now (they stayed charged while it was open).
     */
    private void release(Descriptor d) throws IOException {
        if (d.unlinked && fds.values().stream().noneMatch(other -> other.holds(Descriptor.key(d.opened)))) {
            d.root.quota().grow(-d.channel.size());
        }
        close(d);
    }

    private static void close(Descriptor d) {
        if (d.channel != null) {
            try {
                d.channel.close();
            } catch (IOException ignored) {
                // Closing a file the guest only read or wrote through the channel: nothing left to report.
            }
        }
    }

    /** Closes every file still open (the invocation ended). */
    void closeAll() {
        fds.values().forEach(WasiPreview1::close);
        fds.clear();
    }

    private static String str(GuestMemory m, Value[] a, int at) {
        return m.string(a[at].asInt(), a[at + 1].asInt());
    }

    private static void core(List<Function> f) {
        on(f, "args_get", 2, (w, m, a) -> strings(m, w.args, a[0].asInt(), a[1].asInt()));
        on(f, "args_sizes_get", 2, (w, m, a) -> sizes(m, w.args, a[0].asInt(), a[1].asInt()));
        on(f, "environ_get", 2, (w, m, a) -> strings(m, w.env, a[0].asInt(), a[1].asInt()));
        on(f, "environ_sizes_get", 2, (w, m, a) -> sizes(m, w.env, a[0].asInt(), a[1].asInt()));
        on(f, "clock_res_get", 2, (w, m, a) -> {
            m.i64(a[1].asInt(), w.entropy.resolution(a[0].asInt()));
            return Errno.SUCCESS;
        });
        on(f, "clock_time_get", 3, (w, m, a) -> {
            m.i64(a[2].asInt(), w.entropy.time(a[0].asInt()));
            return Errno.SUCCESS;
        });
        on(f, "random_get", 2, (w, m, a) -> {
            int length = a[1].asInt();
            m.check(a[0].asInt(), length);
            for (int done = 0; done < length; done += 65_536) {
                var bytes = new byte[Math.min(65_536, length - done)];
                w.entropy.random(bytes);
                m.write(a[0].asInt() + done, bytes);
            }
            return Errno.SUCCESS;
        });
        on(f, "proc_exit", 1, (w, m, a) -> {
            throw new Exit(a[0].asInt());
        });
        on(f, "proc_raise", 1, (w, m, a) -> Errno.NOSYS);
        on(f, "sched_yield", 0, (w, m, a) -> {
            w.entropy.yield();
            return Errno.SUCCESS;
        });
        on(f, "poll_oneoff", 4, (w, m, a) -> w.poll(m, a[0].asInt(), a[1].asInt(), a[2].asInt(), a[3].asInt()));
        on(f, "sock_accept", 3, (w, m, a) -> w.socket(a[0].asInt()));
        on(f, "sock_recv", 6, (w, m, a) -> w.socket(a[0].asInt()));
        on(f, "sock_send", 5, (w, m, a) -> w.socket(a[0].asInt()));
        on(f, "sock_shutdown", 2, (w, m, a) -> w.socket(a[0].asInt()));
    }

    /** Adds the preview 1 function {@code name}, taking {@code arity} parameters, to {@code f}. */
    private static void on(List<Function> f, String name, int arity, Call call) {
        f.add(new Function(name, arity, call));
    }

    /** No descriptor is a socket: EBADF for a closed one, ENOTSOCK otherwise. */
    private int socket(int fd) {
        fd(fd);
        return Errno.NOTSOCK;
    }

    private static int strings(GuestMemory m, byte[][] values, int pointers, int buffer) {
        int at = buffer;
        for (int i = 0; i < values.length; i++) {
            m.i32(pointers + 4 * i, at);
            m.write(at, values[i]);
            at += values[i].length;
        }
        return Errno.SUCCESS;
    }

    private static int sizes(GuestMemory m, byte[][] values, int count, int size) {
        long total = 0;
        for (byte[] v : values) {
            total += v.length;
        }
        m.i32(count, values.length);
        m.i32(size, (int) total);
        return Errno.SUCCESS;
    }

    private int poll(GuestMemory m, int in, int out, int count, int eventsPointer) {
        if (count <= 0) {
            return Errno.INVAL;
        }
        m.check(in, count * 48);
        m.check(out, count * 32);
        int events = 0;
        long sleep = Long.MAX_VALUE;
        long clockUserdata = 0;
        int clockIndex = -1;
        for (int i = 0; i < count; i++) {
            int s = in + 48 * i;
            long userdata = m.i64(s);
            int tag = m.u8(s + 8);
            if (tag == EVENTTYPE_CLOCK) {
                int id = m.i32(s + 16);
                long timeout = m.i64(s + 24);
                boolean absolute = (m.i16(s + 40) & 1) != 0;
                long wait;
                try {
                    wait = absolute ? timeout - entropy.time(id) : timeout;
                } catch (Errno e) {
                    events = event(m, out, events, userdata, e.code, EVENTTYPE_CLOCK, 0);
                    continue;
                }
                if (wait < sleep) {
                    sleep = Math.max(0, wait);
                    clockUserdata = userdata;
                    clockIndex = i;
                }
            } else if (tag == EVENTTYPE_FD_READ || tag == EVENTTYPE_FD_WRITE) {
                int fd = m.i32(s + 16);
                Descriptor d = fds.get(fd);
                int error = d == null ? Errno.BADF : d.isDirectory() ? Errno.BADF : Errno.SUCCESS;
                long ready = 0;
                if (error == Errno.SUCCESS && tag == EVENTTYPE_FD_READ) {
                    ready = DescriptorIo.available(d);
                }
                events = event(m, out, events, userdata, error, tag, ready);
            } else {
                return Errno.INVAL;
            }
        }
        if (events == 0 && clockIndex >= 0) {
            entropy.sleep(sleep, () -> stopped);
            if (stopped) {
                throw new Stopped();
            }
            events = event(m, out, events, clockUserdata, Errno.SUCCESS, EVENTTYPE_CLOCK, 0);
        }
        m.i32(eventsPointer, events);
        return Errno.SUCCESS;
    }

    private static int event(GuestMemory m, int out, int index, long userdata, int error, int type, long bytes) {
        int e = out + 32 * index;
        m.i64(e, userdata);
        m.i16(e + 8, error);
        m.u8(e + 10, type);
        m.i64(e + 16, bytes);
        m.i16(e + 24, 0);
        return index + 1;
    }

    private static void descriptors(List<Function> f) {
        on(f, "fd_advise", 4, (w, m, a) -> {
            Descriptor d = w.fd(a[0].asInt());
            int advice = a[3].asInt();
            if (a[1].asLong() < 0 || a[2].asLong() < 0 || advice < 0 || advice > 5) {
                return Errno.INVAL;
            }
            if (d.isDirectory()) {
                return Errno.BADF;
            }
            return d.isFile() ? Errno.SUCCESS : Errno.SPIPE;
        });
        on(f, "fd_allocate", 3, (w, m, a) -> {
            Descriptor d = w.fd(a[0].asInt());
            if (!d.isFile()) {
                return d.isDirectory() ? Errno.BADF : Errno.NOTSUP;
            }
            d.require(Descriptor.FD_ALLOCATE);
            long offset = a[1].asLong();
            long length = a[2].asLong();
            if (offset < 0 || length <= 0 || offset + length < 0) {
                return Errno.INVAL;
            }
            long size = d.channel.size();
            if (offset + length > size) {
                DescriptorIo.resize(d, offset + length);
            }
            return Errno.SUCCESS;
        });
        on(f, "fd_close", 1, (w, m, a) -> {
            Descriptor d = w.fd(a[0].asInt());
            w.fds.remove(a[0].asInt());
            w.release(d);
            return Errno.SUCCESS;
        });
        on(f, "fd_datasync", 1, (w, m, a) -> DescriptorIo.sync(w.fd(a[0].asInt()), false));
        on(f, "fd_sync", 1, (w, m, a) -> DescriptorIo.sync(w.fd(a[0].asInt()), true));
        on(f, "fd_fdstat_get", 2, (w, m, a) -> {
            Descriptor d = w.fd(a[0].asInt());
            int p = a[1].asInt();
            m.i64(p, 0);
            m.u8(p, d.filetype);
            m.i16(p + 2, d.flags);
            m.i64(p + 8, d.base);
            m.i64(p + 16, d.inheriting);
            return Errno.SUCCESS;
        });
        on(f, "fd_fdstat_set_flags", 2, (w, m, a) -> {
            Descriptor d = w.fd(a[0].asInt());
            int flags = a[1].asInt();
            if ((flags & ~Descriptor.FDFLAGS_ALL) != 0) {
                return Errno.INVAL;
            }
            d.require(Descriptor.FD_FDSTAT_SET_FLAGS);
            d.flags = flags;
            return Errno.SUCCESS;
        });
        on(f, "fd_fdstat_set_rights", 3, (w, m, a) -> {
            Descriptor d = w.fd(a[0].asInt());
            long base = a[1].asLong();
            long inheriting = a[2].asLong();
            if ((base & ~d.base) != 0 || (inheriting & ~d.inheriting) != 0) {
                return Errno.NOTCAPABLE;
            }
            d.base = base;
            d.inheriting = inheriting;
            return Errno.SUCCESS;
        });
        on(f, "fd_filestat_get", 2, (w, m, a) -> {
            Descriptor d = w.fd(a[0].asInt());
            int p = a[1].asInt();
            if (d.host == null) {
                m.fill(p, 64, 0);
                m.u8(p + 16, d.filetype);
                return Errno.SUCCESS;
            }
            Map<String, Object> attributes = GuestPaths.lstat(d.host);
            if (d.opened != null && (attributes == null || !d.holds(Descriptor.key(attributes)))) {
                // The open file lost its name (removed or renamed): what was seen at open, with its size now.
                attributes = new HashMap<>(d.opened);
                attributes.put("size", d.channel.size());
                attributes.put("nlink", d.unlinked ? 0 : d.opened.get("nlink"));
            }
            if (attributes == null) {
                return Errno.NOENT;
            }
            w.files.filestat(m, p, attributes);
            return Errno.SUCCESS;
        });
        on(f, "fd_filestat_set_size", 2, (w, m, a) -> {
            Descriptor d = w.fd(a[0].asInt());
            if (!d.isFile()) {
                return d.isDirectory() ? Errno.ISDIR : Errno.INVAL;
            }
            d.require(Descriptor.FD_FILESTAT_SET_SIZE);
            long size = a[1].asLong();
            if (size < 0) {
                return Errno.INVAL;
            }
            DescriptorIo.resize(d, size);
            return Errno.SUCCESS;
        });
        on(f, "fd_filestat_set_times", 4, (w, m, a) -> {
            Descriptor d = w.fd(a[0].asInt());
            int fstflags = a[3].asInt();
            WasiFileSystem.checkTimes(fstflags);
            d.require(Descriptor.FD_FILESTAT_SET_TIMES);
            if (d.host == null) {
                return Errno.SUCCESS;
            }
            if (!d.root.writable()) {
                return Errno.ROFS;
            }
            w.files.setTimes(d.host, a[1].asLong(), a[2].asLong(), fstflags);
            return Errno.SUCCESS;
        });
        on(f, "fd_prestat_get", 2, (w, m, a) -> {
            Descriptor d = w.fd(a[0].asInt());
            if (d.preopen == null) {
                return Errno.BADF;
            }
            m.i32(a[1].asInt(), 0);
            m.i32(a[1].asInt() + 4, d.preopen.getBytes(StandardCharsets.UTF_8).length);
            return Errno.SUCCESS;
        });
        on(f, "fd_prestat_dir_name", 3, (w, m, a) -> {
            Descriptor d = w.fd(a[0].asInt());
            if (d.preopen == null) {
                return Errno.BADF;
            }
            byte[] name = d.preopen.getBytes(StandardCharsets.UTF_8);
            if (a[2].asInt() < name.length) {
                return Errno.NAMETOOLONG;
            }
            m.write(a[1].asInt(), name);
            return Errno.SUCCESS;
        });
        on(
                f,
                "fd_read",
                4,
                (w, m, a) -> DescriptorIo.read(m, w.fd(a[0].asInt()), a[1].asInt(), a[2].asInt(), -1, a[3].asInt()));
        on(f, "fd_pread", 5, (w, m, a) -> {
            long offset = a[3].asLong();
            return offset < 0
                    ? Errno.INVAL
                    : DescriptorIo.read(m, w.fd(a[0].asInt()), a[1].asInt(), a[2].asInt(), offset, a[4].asInt());
        });
        on(
                f,
                "fd_write",
                4,
                (w, m, a) -> DescriptorIo.write(m, w.fd(a[0].asInt()), a[1].asInt(), a[2].asInt(), -1, a[3].asInt()));
        on(f, "fd_pwrite", 5, (w, m, a) -> {
            long offset = a[3].asLong();
            return offset < 0
                    ? Errno.INVAL
                    : DescriptorIo.write(m, w.fd(a[0].asInt()), a[1].asInt(), a[2].asInt(), offset, a[4].asInt());
        });
        on(f, "fd_readdir", 5, (w, m, a) -> {
            Descriptor d = w.fd(a[0].asInt());
            if (!d.isDirectory()) {
                return Errno.NOTDIR;
            }
            w.files.readdir(m, d, a[1].asInt(), a[2].asInt(), a[3].asLong(), a[4].asInt());
            return Errno.SUCCESS;
        });
        on(f, "fd_renumber", 2, (w, m, a) -> {
            int from = a[0].asInt();
            int to = a[1].asInt();
            Descriptor d = w.fd(from);
            Descriptor replaced = w.fd(to);
            if (from != to) {
                w.fds.remove(to);
                w.release(replaced);
                w.fds.put(to, d);
                w.fds.remove(from);
            }
            return Errno.SUCCESS;
        });
        on(
                f,
                "fd_seek",
                4,
                (w, m, a) -> DescriptorIo.seek(m, w.fd(a[0].asInt()), a[1].asLong(), a[2].asInt(), a[3].asInt()));
        on(f, "fd_tell", 2, (w, m, a) -> {
            Descriptor d = w.fd(a[0].asInt());
            if (!d.isFile()) {
                return d.isDirectory() ? Errno.BADF : Errno.SPIPE;
            }
            d.require(Descriptor.FD_TELL);
            m.i64(a[1].asInt(), d.position);
            return Errno.SUCCESS;
        });
    }

    private static void paths(List<Function> f) {
        on(f, "path_create_directory", 3, (w, m, a) -> w.files.pathCreateDirectory(w.dir(a[0].asInt()), str(m, a, 1)));
        on(
                f,
                "path_filestat_get",
                5,
                (w, m, a) -> w.files.pathFilestatGet(m, w.dir(a[0].asInt()), a[1].asInt(), str(m, a, 2), a[4].asInt()));
        on(
                f,
                "path_filestat_set_times",
                7,
                (w, m, a) -> w.files.pathFilestatSetTimes(
                        w.dir(a[0].asInt()), a[1].asInt(), str(m, a, 2), a[4].asLong(), a[5].asLong(), a[6].asInt()));
        on(
                f,
                "path_link",
                7,
                (w, m, a) -> w.files.pathLink(
                        w.dir(a[0].asInt()), a[1].asInt(), str(m, a, 2), w.dir(a[4].asInt()), str(m, a, 5)));
        on(f, "path_open", 9, (w, m, a) -> {
            Descriptor opened = w.files.pathOpen(
                    w.dir(a[0].asInt()),
                    a[1].asInt(),
                    str(m, a, 2),
                    a[4].asInt(),
                    a[5].asLong(),
                    a[6].asLong(),
                    a[7].asInt());
            int fd = w.add(opened);
            try {
                m.i32(a[8].asInt(), fd);
            } catch (RuntimeException e) {
                w.fds.remove(fd);
                close(opened);
                throw e;
            }
            return Errno.SUCCESS;
        });
        on(
                f,
                "path_readlink",
                6,
                (w, m, a) -> w.files.pathReadlink(
                        m, w.dir(a[0].asInt()), str(m, a, 1), a[3].asInt(), a[4].asInt(), a[5].asInt()));
        on(f, "path_remove_directory", 3, (w, m, a) -> w.files.pathRemoveDirectory(w.dir(a[0].asInt()), str(m, a, 1)));
        on(
                f,
                "path_rename",
                6,
                (w, m, a) -> w.files.pathRename(w.dir(a[0].asInt()), str(m, a, 1), w.dir(a[3].asInt()), str(m, a, 4)));
        on(f, "path_symlink", 5, (w, m, a) -> w.files.pathSymlink(str(m, a, 0), w.dir(a[2].asInt()), str(m, a, 3)));
        on(f, "path_unlink_file", 3, (w, m, a) -> w.files.pathUnlinkFile(w.dir(a[0].asInt()), str(m, a, 1)));
    }
}
