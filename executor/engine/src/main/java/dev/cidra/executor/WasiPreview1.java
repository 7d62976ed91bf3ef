package dev.cidra.executor;

import dev.cidra.registry.ImportGraph;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
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

    @FunctionalInterface
    private interface Call {
        int call(GuestMemory memory, Value[] a) throws IOException;
    }

    private static final int EVENTTYPE_CLOCK = 0;
    private static final int EVENTTYPE_FD_READ = 1;
    private static final int EVENTTYPE_FD_WRITE = 2;
    private static final int MAX_FDS = 1024;

    private final byte[][] args;
    private final byte[][] env;
    private final Entropy entropy;
    private final WasiFileSystem files;
    private final Map<Integer, Descriptor> fds = new HashMap<>();
    /** The number of parameters of every preview 1 function. */
    private static final Map<String, Integer> ARITY = Map.ofEntries(
            Map.entry("args_get", 2),
            Map.entry("args_sizes_get", 2),
            Map.entry("environ_get", 2),
            Map.entry("environ_sizes_get", 2),
            Map.entry("clock_res_get", 2),
            Map.entry("clock_time_get", 3),
            Map.entry("random_get", 2),
            Map.entry("proc_exit", 1),
            Map.entry("proc_raise", 1),
            Map.entry("sched_yield", 0),
            Map.entry("poll_oneoff", 4),
            Map.entry("sock_accept", 3),
            Map.entry("sock_recv", 6),
            Map.entry("sock_send", 5),
            Map.entry("sock_shutdown", 2),
            Map.entry("fd_advise", 4),
            Map.entry("fd_allocate", 3),
            Map.entry("fd_close", 1),
            Map.entry("fd_datasync", 1),
            Map.entry("fd_sync", 1),
            Map.entry("fd_fdstat_get", 2),
            Map.entry("fd_fdstat_set_flags", 2),
            Map.entry("fd_fdstat_set_rights", 3),
            Map.entry("fd_filestat_get", 2),
            Map.entry("fd_filestat_set_size", 2),
            Map.entry("fd_filestat_set_times", 4),
            Map.entry("fd_prestat_get", 2),
            Map.entry("fd_prestat_dir_name", 3),
            Map.entry("fd_read", 4),
            Map.entry("fd_pread", 5),
            Map.entry("fd_write", 4),
            Map.entry("fd_pwrite", 5),
            Map.entry("fd_readdir", 5),
            Map.entry("fd_renumber", 2),
            Map.entry("fd_seek", 4),
            Map.entry("fd_tell", 2),
            Map.entry("path_create_directory", 3),
            Map.entry("path_filestat_get", 5),
            Map.entry("path_filestat_set_times", 7),
            Map.entry("path_link", 7),
            Map.entry("path_open", 9),
            Map.entry("path_readlink", 6),
            Map.entry("path_remove_directory", 3),
            Map.entry("path_rename", 6),
            Map.entry("path_symlink", 5),
            Map.entry("path_unlink_file", 3));
    /** Each preview 1 function's index in {@link #calls}, fixed for the life of the JVM. */
    private static final Map<String, Integer> SLOT = slots();
    /** This invocation's implementation of each preview 1 function, by {@link #SLOT}; all set by the constructor. */
    private final Call[] calls = new Call[SLOT.size()];

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
        register();
    }

    private static Map<String, Integer> slots() {
        var slots = new HashMap<String, Integer>();
        ARITY.keySet().stream().sorted().forEach(name -> slots.put(name, slots.size()));
        return Map.copyOf(slots);
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
        ARITY.forEach((name, arity) -> {
            int slot = SLOT.get(name);
            members.put(name, (ProxyExecutable) a -> {
                if (a.length != arity) {
                    throw new Misuse("the module imports " + ImportGraph.WASI_MODULE + "." + name + " with " + a.length
                            + " parameters; WASI preview 1 gives it " + arity);
                }
                WasiPreview1 wasi = host.wasi;
                if (wasi == null) {
                    throw new Misuse("the module called " + ImportGraph.WASI_MODULE + "." + name
                            + " while it was being instantiated, before it had an invocation");
                }
                return wasi.invoke(wasi.calls[slot], memory, a);
            });
        });
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
            return call.call(memory, a);
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

    private void register() {
        on("args_get", (m, a) -> strings(m, args, a[0].asInt(), a[1].asInt()));
        on("args_sizes_get", (m, a) -> sizes(m, args, a[0].asInt(), a[1].asInt()));
        on("environ_get", (m, a) -> strings(m, env, a[0].asInt(), a[1].asInt()));
        on("environ_sizes_get", (m, a) -> sizes(m, env, a[0].asInt(), a[1].asInt()));
        on("clock_res_get", (m, a) -> {
            m.i64(a[1].asInt(), entropy.resolution(a[0].asInt()));
            return Errno.SUCCESS;
        });
        on("clock_time_get", (m, a) -> {
            m.i64(a[2].asInt(), entropy.time(a[0].asInt()));
            return Errno.SUCCESS;
        });
        on("random_get", (m, a) -> {
            int length = a[1].asInt();
            m.check(a[0].asInt(), length);
            for (int done = 0; done < length; done += 65_536) {
                var bytes = new byte[Math.min(65_536, length - done)];
                entropy.random(bytes);
                m.write(a[0].asInt() + done, bytes);
            }
            return Errno.SUCCESS;
        });
        on("proc_exit", (m, a) -> {
            throw new Exit(a[0].asInt());
        });
        on("proc_raise", (m, a) -> Errno.NOSYS);
        on("sched_yield", (m, a) -> {
            entropy.yield();
            return Errno.SUCCESS;
        });
        on("poll_oneoff", (m, a) -> poll(m, a[0].asInt(), a[1].asInt(), a[2].asInt(), a[3].asInt()));
        on("sock_accept", (m, a) -> socket(a[0].asInt()));
        on("sock_recv", (m, a) -> socket(a[0].asInt()));
        on("sock_send", (m, a) -> socket(a[0].asInt()));
        on("sock_shutdown", (m, a) -> socket(a[0].asInt()));
        registerFd();
        registerPath();
        for (Call call : calls) {
            if (call == null) {
                throw new IllegalStateException("a WASI preview 1 function without an implementation");
            }
        }
    }

    /** Implements the preview 1 function {@code name}, which must be one of {@link #ARITY}'s. */
    private void on(String name, Call call) {
        calls[SLOT.get(name)] = call;
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

    private void registerFd() {
        on("fd_advise", (m, a) -> {
            Descriptor d = fd(a[0].asInt());
            int advice = a[3].asInt();
            if (a[1].asLong() < 0 || a[2].asLong() < 0 || advice < 0 || advice > 5) {
                return Errno.INVAL;
            }
            if (d.isDirectory()) {
                return Errno.BADF;
            }
            return d.isFile() ? Errno.SUCCESS : Errno.SPIPE;
        });
        on("fd_allocate", (m, a) -> {
            Descriptor d = fd(a[0].asInt());
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
        on("fd_close", (m, a) -> {
            Descriptor d = fd(a[0].asInt());
            fds.remove(a[0].asInt());
            release(d);
            return Errno.SUCCESS;
        });
        on("fd_datasync", (m, a) -> DescriptorIo.sync(fd(a[0].asInt()), false));
        on("fd_sync", (m, a) -> DescriptorIo.sync(fd(a[0].asInt()), true));
        on("fd_fdstat_get", (m, a) -> {
            Descriptor d = fd(a[0].asInt());
            int p = a[1].asInt();
            m.i64(p, 0);
            m.u8(p, d.filetype);
            m.i16(p + 2, d.flags);
            m.i64(p + 8, d.base);
            m.i64(p + 16, d.inheriting);
            return Errno.SUCCESS;
        });
        on("fd_fdstat_set_flags", (m, a) -> {
            Descriptor d = fd(a[0].asInt());
            int flags = a[1].asInt();
            if ((flags & ~Descriptor.FDFLAGS_ALL) != 0) {
                return Errno.INVAL;
            }
            d.require(Descriptor.FD_FDSTAT_SET_FLAGS);
            d.flags = flags;
            return Errno.SUCCESS;
        });
        on("fd_fdstat_set_rights", (m, a) -> {
            Descriptor d = fd(a[0].asInt());
            long base = a[1].asLong();
            long inheriting = a[2].asLong();
            if ((base & ~d.base) != 0 || (inheriting & ~d.inheriting) != 0) {
                return Errno.NOTCAPABLE;
            }
            d.base = base;
            d.inheriting = inheriting;
            return Errno.SUCCESS;
        });
        on("fd_filestat_get", (m, a) -> {
            Descriptor d = fd(a[0].asInt());
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
            files.filestat(m, p, attributes);
            return Errno.SUCCESS;
        });
        on("fd_filestat_set_size", (m, a) -> {
            Descriptor d = fd(a[0].asInt());
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
        on("fd_filestat_set_times", (m, a) -> {
            Descriptor d = fd(a[0].asInt());
            int fstflags = a[3].asInt();
            WasiFileSystem.checkTimes(fstflags);
            d.require(Descriptor.FD_FILESTAT_SET_TIMES);
            if (d.host == null) {
                return Errno.SUCCESS;
            }
            if (!d.root.writable()) {
                return Errno.ROFS;
            }
            files.setTimes(d.host, a[1].asLong(), a[2].asLong(), fstflags);
            return Errno.SUCCESS;
        });
        on("fd_prestat_get", (m, a) -> {
            Descriptor d = fd(a[0].asInt());
            if (d.preopen == null) {
                return Errno.BADF;
            }
            m.i32(a[1].asInt(), 0);
            m.i32(a[1].asInt() + 4, d.preopen.getBytes(StandardCharsets.UTF_8).length);
            return Errno.SUCCESS;
        });
        on("fd_prestat_dir_name", (m, a) -> {
            Descriptor d = fd(a[0].asInt());
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
        on("fd_read", (m, a) -> DescriptorIo.read(m, fd(a[0].asInt()), a[1].asInt(), a[2].asInt(), -1, a[3].asInt()));
        on("fd_pread", (m, a) -> {
            long offset = a[3].asLong();
            return offset < 0
                    ? Errno.INVAL
                    : DescriptorIo.read(m, fd(a[0].asInt()), a[1].asInt(), a[2].asInt(), offset, a[4].asInt());
        });
        on("fd_write", (m, a) -> DescriptorIo.write(m, fd(a[0].asInt()), a[1].asInt(), a[2].asInt(), -1, a[3].asInt()));
        on("fd_pwrite", (m, a) -> {
            long offset = a[3].asLong();
            return offset < 0
                    ? Errno.INVAL
                    : DescriptorIo.write(m, fd(a[0].asInt()), a[1].asInt(), a[2].asInt(), offset, a[4].asInt());
        });
        on("fd_readdir", (m, a) -> {
            Descriptor d = fd(a[0].asInt());
            if (!d.isDirectory()) {
                return Errno.NOTDIR;
            }
            files.readdir(m, d, a[1].asInt(), a[2].asInt(), a[3].asLong(), a[4].asInt());
            return Errno.SUCCESS;
        });
        on("fd_renumber", (m, a) -> {
            int from = a[0].asInt();
            int to = a[1].asInt();
            Descriptor d = fd(from);
            Descriptor replaced = fd(to);
            if (from != to) {
                fds.remove(to);
                release(replaced);
                fds.put(to, d);
                fds.remove(from);
            }
            return Errno.SUCCESS;
        });
        on("fd_seek", (m, a) -> DescriptorIo.seek(m, fd(a[0].asInt()), a[1].asLong(), a[2].asInt(), a[3].asInt()));
        on("fd_tell", (m, a) -> {
            Descriptor d = fd(a[0].asInt());
            if (!d.isFile()) {
                return d.isDirectory() ? Errno.BADF : Errno.SPIPE;
            }
            d.require(Descriptor.FD_TELL);
            m.i64(a[1].asInt(), d.position);
            return Errno.SUCCESS;
        });
    }

    private void registerPath() {
        on("path_create_directory", (m, a) -> files.pathCreateDirectory(dir(a[0].asInt()), str(m, a, 1)));
        on(
                "path_filestat_get",
                (m, a) -> files.pathFilestatGet(m, dir(a[0].asInt()), a[1].asInt(), str(m, a, 2), a[4].asInt()));
        on(
                "path_filestat_set_times",
                (m, a) -> files.pathFilestatSetTimes(
                        dir(a[0].asInt()), a[1].asInt(), str(m, a, 2), a[4].asLong(), a[5].asLong(), a[6].asInt()));
        on(
                "path_link",
                (m, a) ->
                        files.pathLink(dir(a[0].asInt()), a[1].asInt(), str(m, a, 2), dir(a[4].asInt()), str(m, a, 5)));
        on("path_open", (m, a) -> {
            Descriptor opened = files.pathOpen(
                    dir(a[0].asInt()),
                    a[1].asInt(),
                    str(m, a, 2),
                    a[4].asInt(),
                    a[5].asLong(),
                    a[6].asLong(),
                    a[7].asInt());
            int fd = add(opened);
            try {
                m.i32(a[8].asInt(), fd);
            } catch (RuntimeException e) {
                fds.remove(fd);
                close(opened);
                throw e;
            }
            return Errno.SUCCESS;
        });
        on(
                "path_readlink",
                (m, a) -> files.pathReadlink(
                        m, dir(a[0].asInt()), str(m, a, 1), a[3].asInt(), a[4].asInt(), a[5].asInt()));
        on("path_remove_directory", (m, a) -> files.pathRemoveDirectory(dir(a[0].asInt()), str(m, a, 1)));
        on("path_rename", (m, a) -> files.pathRename(dir(a[0].asInt()), str(m, a, 1), dir(a[3].asInt()), str(m, a, 4)));
        on("path_symlink", (m, a) -> files.pathSymlink(str(m, a, 0), dir(a[2].asInt()), str(m, a, 3)));
        on("path_unlink_file", (m, a) -> files.pathUnlinkFile(dir(a[0].asInt()), str(m, a, 1)));
    }
}
