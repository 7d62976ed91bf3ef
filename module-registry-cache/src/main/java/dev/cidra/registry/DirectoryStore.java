package dev.cidra.registry;

import java.io.IOException;
import java.nio.channels.Channels;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/** Files named {@code <cid><suffix>} in one directory, for each suffix in order. Stateless, hence thread-safe. */
final class DirectoryStore implements ContentStore {
    private final Path dir;
    private final List<String> suffixes;

    DirectoryStore(Path dir, List<String> suffixes) {
        this.dir = Objects.requireNonNull(dir, "dir").toAbsolutePath();
        this.suffixes = List.copyOf(suffixes);
    }

    @Override
    public Optional<byte[]> fetch(Cid cid, long maxBytes) {
        Objects.requireNonNull(cid, "cid");
        ContentChecks.checkLimit(maxBytes);
        for (String suffix : suffixes) {
            var file = dir.resolve(cid + suffix);
            byte[] content;
            try (var channel = Files.newByteChannel(file)) {
                if (channel.size() > maxBytes) {
                    throw ContentChecks.tooLarge(cid, maxBytes, file.toString());
                }
                content = ContentChecks.readUpTo(Channels.newInputStream(channel), maxBytes);
            } catch (NoSuchFileException e) {
                continue;
            } catch (IOException e) {
                throw new RegistryException("cannot read " + file + " for module " + cid + ": " + e, e);
            }
            if (content.length > maxBytes) {
                throw ContentChecks.tooLarge(cid, maxBytes, file.toString());
            }
            return Optional.of(ContentChecks.verified(cid, content, file.toString()));
        }
        return Optional.empty();
    }

    @Override
    public String describe() {
        return dir.toString();
    }

    @Override
    public String toString() {
        return describe();
    }
}
