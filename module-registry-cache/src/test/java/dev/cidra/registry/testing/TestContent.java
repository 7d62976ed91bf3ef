package dev.cidra.registry.testing;

import java.util.Random;

/** Reproducible module-sized test content. */
public final class TestContent {
    private TestContent() {}

    /** {@code length} pseudo-random bytes, the same for the same seed. */
    public static byte[] random(int length, long seed) {
        var bytes = new byte[length];
        new Random(seed).nextBytes(bytes);
        return bytes;
    }
}
