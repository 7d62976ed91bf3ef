package dev.cidra.executor;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import java.util.function.LongSupplier;

/**
 * Every source of nondeterminism a WASI guest can observe apart from its inputs: clocks, random bytes, waiting, and
 * the identities and times of files. {@link #live} reads the host; {@link #deterministic} makes each a function of a
 * seed and of the guest's own sequence of calls, so two runs of the same module on the same inputs see the same
 * values. One instance per invocation, used by the guest's thread only.
 */
abstract sealed class Entropy {
    static final int REALTIME = 0;
    static final int MONOTONIC = 1;
    static final int PROCESS_CPUTIME = 2;
    static final int THREAD_CPUTIME = 3;

    /** Nanoseconds of clock {@code id} now; EINVAL for an unknown clock. */
    abstract long time(int id);

    /** The resolution of clock {@code id} in nanoseconds; EINVAL for an unknown clock. */
    abstract long resolution(int id);

    abstract void random(byte[] bytes);

    /** Lets {@code nanos} pass (or, deterministic, only the guest's clocks); returns early once {@code stopped}. */
    abstract void sleep(long nanos, BooleanSupplier stopped);

    abstract void yield();

    /** The device number the guest sees for host device {@code dev}. */
    abstract long device(long dev);

    /** The inode number the guest sees for host inode {@code ino} on host device {@code dev}. */
    abstract long inode(long dev, long ino);

    /** The file time (nanoseconds since the epoch) the guest sees for host file time {@code nanos}. */
    abstract long fileTime(long nanos);

    /** Notes a file time the guest itself set (fd/path_filestat_set_times), which it may then see as it is. */
    abstract void fileTimeSet(long nanos);

    static void checkClock(int id) {
        if (id < REALTIME || id > THREAD_CPUTIME) {
            throw new Errno(Errno.INVAL);
        }
    }

    /** The host's clocks (the given wall clock and nanosecond ticker), a shared SecureRandom, real waiting. */
    static Entropy live(Clock wall, LongSupplier ticker) {
        return new Live(wall, ticker);
    }

    /** Clocks from a fixed epoch advancing a fixed step per read, random bytes from a generator seeded with seed. */
    static Entropy deterministic(long seed) {
        return new Deterministic(seed);
    }

    private static final class Live extends Entropy {
        private static final SecureRandom RANDOM = new SecureRandom();
        private final Clock wall;
        private final LongSupplier ticker;
        private final long start;

        Live(Clock wall, LongSupplier ticker) {
            this.wall = wall;
            this.ticker = ticker;
            this.start = ticker.getAsLong();
        }

        @Override
        long time(int id) {
            checkClock(id);
            if (id == REALTIME) {
                Instant now = wall.instant();
                return now.getEpochSecond() * 1_000_000_000L + now.getNano();
            }
            // Monotonic and CPU clocks: nanoseconds since the invocation started (never negative, never back).
            return ticker.getAsLong() - start;
        }

        @Override
        long resolution(int id) {
            checkClock(id);
            return id == REALTIME ? 1_000 : 1;
        }

        @Override
        void random(byte[] bytes) {
            RANDOM.nextBytes(bytes);
        }

        @Override
        void sleep(long nanos, BooleanSupplier stopped) {
            long end = ticker.getAsLong() + nanos;
            for (long left = nanos; left > 0 && !stopped.getAsBoolean(); left = end - ticker.getAsLong()) {
                LockSupport.parkNanos(Math.min(left, 10_000_000L));
            }
        }

        @Override
        void yield() {
            Thread.yield();
        }

        @Override
        long device(long dev) {
            return dev;
        }

        @Override
        long inode(long dev, long ino) {
            return ino;
        }

        @Override
        long fileTime(long nanos) {
            return nanos;
        }

        @Override
        void fileTimeSet(long nanos) {}
    }

    private static final class Deterministic extends Entropy {
        /** 2000-01-01T00:00:00Z, the realtime clock's first reading. */
        static final long EPOCH = 946_684_800L * 1_000_000_000L;
        /** What every clock read advances the clocks by: 1 ms. */
        static final long STEP = 1_000_000L;

        private final SplittableRandom random;
        private final Map<Long, Long> devices = new HashMap<>();
        private final Map<String, Long> inodes = new HashMap<>();
        private final Set<Long> setTimes = new HashSet<>();
        private long elapsed;

        Deterministic(long seed) {
            this.random = new SplittableRandom(seed);
        }

        @Override
        long time(int id) {
            checkClock(id);
            elapsed += STEP;
            return id == REALTIME ? EPOCH + elapsed : elapsed;
        }

        @Override
        long resolution(int id) {
            checkClock(id);
            return STEP;
        }

        @Override
        void random(byte[] bytes) {
            random.nextBytes(bytes);
        }

        @Override
        void sleep(long nanos, BooleanSupplier stopped) {
            elapsed += Math.max(0, nanos);
        }

        @Override
        void yield() {}

        @Override
        long device(long dev) {
            return devices.computeIfAbsent(dev, d -> (long) devices.size() + 1);
        }

        /** Numbered in the order the guest first sees them, so hard links still share a number. */
        @Override
        long inode(long dev, long ino) {
            return inodes.computeIfAbsent(dev + ":" + ino, k -> (long) inodes.size() + 1);
        }

        /** The epoch, unless the guest set this very time itself (then it is a function of the run too). */
        @Override
        long fileTime(long nanos) {
            return setTimes.contains(nanos) ? nanos : EPOCH;
        }

        @Override
        void fileTimeSet(long nanos) {
            setTimes.add(nanos);
        }
    }
}
