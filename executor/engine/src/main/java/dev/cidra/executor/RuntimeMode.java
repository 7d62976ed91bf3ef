package dev.cidra.executor;

/** Whether guest code is compiled by the Graal JIT or only interpreted. */
public enum RuntimeMode {
    /** Truffle runs with the Graal compiler: guest code reaches near-native speed after warm-up. */
    COMPILED,
    /**
     * No Graal JIT in this JVM: guest code runs 75-170x slower than native. Never run production load like this; the
     * launchers put the compiler on the upgrade module path.
     */
    INTERPRETED
}
