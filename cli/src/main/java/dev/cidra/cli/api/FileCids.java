package dev.cidra.cli.api;

import dev.cidra.cli.platform.OwnerOnlyFiles;
import dev.cidra.registry.Cid;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * The CIDv1 raw of local module files this CLI hashed before, so that running a large module again reads and hashes
 * nothing when it is unchanged (30 MB: about 0.15 s of a command). A file is the one hashed when its path, device,
 * inode, size, modification time and status-change time ({@code ctime}) are all the same: any write changes the
 * {@code ctime}, which no program can set back. A file changed less than {@link #SETTLED} before it is read is
 * not remembered, since two writes inside one tick of the file system's clock can leave the same times. Where the file
 * system has no such attributes, nothing is remembered.
 *
 * <p>The store is one small text file, readable by its owner only and replaced whole ({@link OwnerOnlyFiles}):
 * concurrent commands can lose each other's entries, never corrupt them. A store that cannot be read or written is
 * ignored.
 */
final class FileCids {
    /** How long a file must have been unchanged before it is remembered. */
    static final Duration SETTLED = Duration.ofSeconds(2);

    /** The most files remembered; the oldest entries go first. */
    static final int MAX_ENTRIES = 256;

    private static final String ATTRIBUTES = "unix:dev,ino,size,lastModifiedTime,ctime";

    private final Path store;
    private final Clock clock;

    /** The store in the CLI's state directory {@code home}, on the system clock. */
    static FileCids in(Path home) {
        return new FileCids(home.resolve("module-cids.tsv"), Clock.systemUTC());
    }

    /** @param store the store's file; its directory is made when the first entry is written */
    FileCids(Path store, Clock clock) {
        this.store = store;
        this.clock = clock;
    }

    /**
     * What identifies a file's content: its path, device, inode, size and times ({@code key}); when it last changed,
     * and when this was taken.
     */
    record Stamp(String key, Instant changed, Instant taken) {
        /** Whether the file had been unchanged for {@link #SETTLED} when this was taken. */
        boolean settled() {
            return !changed.isAfter(taken.minus(SETTLED));
        }
    }

    /** {@code file}'s stamp now, to be taken before reading it; empty where the file system has no such attributes. */
    Optional<Stamp> stamp(Path file) {
        String path = file.toAbsolutePath().normalize().toString();
        if (path.contains("\t") || path.contains("\n") || path.contains("\r")) {
            return Optional.empty(); // the store's separators
        }
        try {
            Map<String, Object> attributes = Files.readAttributes(file, ATTRIBUTES);
            var modified = (FileTime) attributes.get("lastModifiedTime");
            var changed = (FileTime) attributes.get("ctime");
            String key = String.join(
                    " ",
                    attributes.get("dev").toString(),
                    attributes.get("ino").toString(),
                    attributes.get("size").toString(),
                    Long.toString(modified.to(TimeUnit.NANOSECONDS)),
                    Long.toString(changed.to(TimeUnit.NANOSECONDS)),
                    path);
            Instant last =
                    modified.toInstant().isAfter(changed.toInstant()) ? modified.toInstant() : changed.toInstant();
            return Optional.of(new Stamp(key, last, clock.instant()));
        } catch (UnsupportedOperationException | IllegalArgumentException | IOException e) {
            return Optional.empty();
        }
    }

    /** The CID remembered for the file {@code stamp} was taken of, if it is unchanged since it was hashed. */
    Optional<Cid> known(Stamp stamp) {
        return Optional.ofNullable(read().get(stamp.key())).flatMap(Cid::tryParse);
    }

    /**
     * Remembers {@code cid} for the bytes of {@code file} read after {@code before} was taken, if the file had settled
     * by then and is unchanged now. A write after the read then has a later change time than {@code before}'s, however
     * coarse the file system's clock.
     */
    void remember(Path file, Stamp before, Cid cid) {
        boolean unchanged =
                stamp(file).map(now -> now.key().equals(before.key())).orElse(false);
        if (!unchanged || !before.settled()) {
            return;
        }
        Map<String, String> entries = read();
        entries.remove(before.key());
        entries.put(before.key(), cid.toString());
        write(entries);
    }

    /** The entries, oldest first: stamp to CID. */
    private Map<String, String> read() {
        var entries = new LinkedHashMap<String, String>();
        try {
            for (String line : Files.readAllLines(store, StandardCharsets.UTF_8)) {
                int tab = line.indexOf('\t');
                if (tab > 0) {
                    entries.put(line.substring(tab + 1), line.substring(0, tab));
                }
            }
        } catch (NoSuchFileException e) {
            // Nothing remembered yet.
        } catch (IOException e) {
            entries.clear();
        }
        return entries;
    }

    private void write(Map<String, String> entries) {
        var text = new StringBuilder();
        entries.entrySet().stream()
                .skip(Math.max(0, entries.size() - MAX_ENTRIES))
                .forEach(entry -> text.append(entry.getValue())
                        .append('\t')
                        .append(entry.getKey())
                        .append('\n'));
        try {
            Files.createDirectories(store.getParent());
            OwnerOnlyFiles.write(store, text.toString());
        } catch (IOException e) {
            // Not remembered: the next command hashes the file again.
        }
    }
}
