package dev.cidra.registry;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Objects;

/**
 * The CID vectors in {@code src/test/resources/unixfs-vectors/} (see the README there) and the content generators they
 * name, re-implemented from the descriptions in {@code generate-vectors.mjs}.
 */
final class UnixFsVectors {
    private static final String NOT_PUBLISHED = "-";

    private UnixFsVectors() {}

    /** A CID published by kubo or by tests quoting it; null where the source gives none. */
    record Published(String name, String generator, long size, String v0, String v1, String v1DagPbLeaves) {
        byte[] content() {
            return bytes(generator, size);
        }

        @Override
        public String toString() {
            return name;
        }
    }

    /** CIDs computed by ipfs-unixfs-importer configured like kubo, with the given chunk size and links per node. */
    record Generated(
            String name,
            String generator,
            long size,
            int chunkSize,
            int maxLinks,
            String v0,
            String v1,
            String v1DagPbLeaves) {
        InputStream content() {
            return stream(generator, size);
        }

        @Override
        public String toString() {
            return name;
        }
    }

    /**
     * A directory tree and the CIDs of {@code ipfs add -r} (v0) and {@code ipfs add -r --cid-version=1} (v1) for it:
     * from kubo's tests, or from the JavaScript importer, as {@code source} says.
     */
    record Directory(String name, List<UnixFs.TreeEntry> entries, String v0, String v1, String source) {
        @Override
        public String toString() {
            return name;
        }
    }

    /** Entries are {@code path|generator|size} separated by {@code ;}; a path ending in {@code /} is a directory. */
    static List<Directory> directories() {
        return rows("directories.csv", "name,entries,v0,v1,source").stream()
                .map(f -> new Directory(f[0], entries(f[1]), f[2], f[3], f[4]))
                .toList();
    }

    private static List<UnixFs.TreeEntry> entries(String cell) {
        if (cell.isEmpty()) {
            return List.of();
        }
        return java.util.Arrays.stream(cell.split(";"))
                .map(entry -> {
                    String[] parts = entry.split("\\|", -1);
                    if (parts[0].endsWith("/")) {
                        return new UnixFs.TreeEntry(parts[0].substring(0, parts[0].length() - 1), null);
                    }
                    long size = Long.parseLong(parts[2]);
                    return new UnixFs.TreeEntry(parts[0], () -> stream(parts[1], size));
                })
                .toList();
    }

    static List<Published> published() {
        return rows("published.csv", "name,generator,size,v0,v1,v1_dag_pb_leaves,source").stream()
                .map(f -> new Published(f[0], f[1], Long.parseLong(f[2]), cid(f[3]), cid(f[4]), cid(f[5])))
                .toList();
    }

    static List<Generated> generated() {
        return rows("generated.csv", "name,generator,size,chunk_size,max_links,v0,v1,v1_dag_pb_leaves").stream()
                .map(f -> new Generated(
                        f[0],
                        f[1],
                        Long.parseLong(f[2]),
                        Integer.parseInt(f[3]),
                        Integer.parseInt(f[4]),
                        f[5],
                        f[6],
                        f[7]))
                .toList();
    }

    static Generated generated(String name) {
        return generated().stream()
                .filter(g -> g.name().equals(name))
                .findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no generated vector " + name));
    }

    static byte[] bytes(String generator, long size) {
        try (InputStream in = stream(generator, size)) {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * {@code text:T} is T in UTF-8 with {@code \n} for a newline; {@code xorshift32:S} emits each state of x ^= x << 13;
     * x ^= x >>> 17; x ^= x << 5 (32 bits, from seed S) as 4 little-endian bytes; {@code lcg64:S} emits the top byte
     * of each state of state = state * 6364136223846793005 + 1442695040888963407 (mod 2^64, from seed S).
     */
    static InputStream stream(String generator, long size) {
        int colon = generator.indexOf(':');
        String kind = generator.substring(0, colon);
        String argument = generator.substring(colon + 1);
        return switch (kind) {
            case "text" -> {
                byte[] bytes = argument.replace("\\n", "\n").getBytes(StandardCharsets.UTF_8);
                if (bytes.length != size) {
                    throw new IllegalArgumentException(generator + " has " + bytes.length + " bytes, not " + size);
                }
                yield new ByteArrayInputStream(bytes);
            }
            case "xorshift32" ->
                new WordStream(size, 4) {
                    private int x = Integer.parseInt(argument);

                    @Override
                    long nextWord() {
                        x ^= x << 13;
                        x ^= x >>> 17;
                        x ^= x << 5;
                        return x;
                    }
                };
            case "lcg64" ->
                new WordStream(size, 1) {
                    private long state = Long.parseLong(argument);

                    @Override
                    long nextWord() {
                        state = state * 6364136223846793005L + 1442695040888963407L;
                        return state >>> 56;
                    }
                };
            default -> throw new IllegalArgumentException("unknown generator " + generator);
        };
    }

    private static String cid(String cell) {
        return cell.equals(NOT_PUBLISHED) ? null : cell;
    }

    private static List<String[]> rows(String file, String header) {
        try (InputStream in =
                Objects.requireNonNull(UnixFsVectors.class.getResourceAsStream("/unixfs-vectors/" + file), file)) {
            List<String> lines = new String(in.readAllBytes(), StandardCharsets.UTF_8)
                    .strip()
                    .lines()
                    .toList();
            if (!lines.getFirst().equals(header)) {
                throw new IllegalStateException(file + " starts with " + lines.getFirst() + ", expected " + header);
            }
            int columns = header.split(",").length;
            return lines.subList(1, lines.size()).stream()
                    .map(line -> line.split(",", columns))
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A stream of {@code size} bytes cut from words of {@code wordBytes} bytes, each emitted little-endian. */
    private abstract static class WordStream extends InputStream {
        private final long size;
        private final int wordBytes;
        private long position;
        private long word;
        private int left;

        WordStream(long size, int wordBytes) {
            this.size = size;
            this.wordBytes = wordBytes;
        }

        abstract long nextWord();

        @Override
        public int read() {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) {
            if (position == size) {
                return length == 0 ? 0 : -1;
            }
            int count = (int) Math.min(length, size - position);
            for (int i = offset; i < offset + count; i++) {
                if (left == 0) {
                    word = nextWord();
                    left = wordBytes;
                }
                buffer[i] = (byte) word;
                word >>>= 8;
                left--;
            }
            position += count;
            return count;
        }
    }
}
