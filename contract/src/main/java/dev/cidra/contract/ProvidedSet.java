package dev.cidra.contract;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Collection;
import java.util.HexFormat;
import java.util.List;
import java.util.TreeSet;

/**
 * The modules one kind of provider node serves ({@code cidra.executor.provides}), and the two topics that carry the
 * work needing them: every provider node of one set consumes them in one consumer group, so the set's calls and jobs go
 * to those nodes only, and to another of them when one dies. Immutable; the CIDs are sorted and distinct, so every
 * node and gateway derives the same {@link #id()} from the same modules, in whatever order they were listed.
 *
 * @param cids the provided modules' CIDs as text, at least one
 */
public record ProvidedSet(List<String> cids) {
    private static final String INFIX = ".provided.";

    /** @throws IllegalArgumentException if there is no CID, or one is null or blank */
    public ProvidedSet {
        var sorted = new TreeSet<String>();
        for (String cid : Require.strings(cids, "provided modules")) {
            sorted.add(Require.nonBlank(cid, "a provided module's CID"));
        }
        if (sorted.isEmpty()) {
            throw new IllegalArgumentException("a provided set needs at least one module");
        }
        cids = List.copyOf(sorted);
    }

    /** The first 128 bits of the SHA-256 of the CIDs joined by {@code ,}, in hex: names the set's topics. */
    public String id() {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256")
                    .digest(String.join(",", cids).getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest, 0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform provides SHA-256", e);
        }
    }

    /** Where the gateway sends the {@link InvocationRequest}s this set's nodes run: {@code cidra.invocations.provided.<id>}. */
    public String invocationsTopic() {
        return Topics.INVOCATIONS + INFIX + id();
    }

    /** Where the gateway sends the {@link JobRequest}s this set's nodes run: {@code cidra.jobs.provided.<id>}. */
    public String jobsTopic() {
        return Topics.JOBS + INFIX + id();
    }

    /** Whether this set holds every one of {@code needed}. */
    public boolean containsAll(Collection<String> needed) {
        return cids.containsAll(needed);
    }
}
