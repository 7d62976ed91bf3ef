package dev.cidra.cli;

import java.nio.file.Path;

/** The guest modules tests run: the engine's conformance cases and the demo's word count. */
public final class Guests {
    /** The engine's conformance cases, one directory each (README there). */
    public static final Path CASES =
            Path.of("../executor/engine/src/test/resources/conformance").toAbsolutePath();

    /**
     * The demo's word count (wordcount.c beside it): counts stdin, or every file of the directory given as its argument,
     * writing /outputs/counts.txt.
     */
    public static final Path WORDCOUNT =
            Path.of("src/main/resources/dev/cidra/cli/demo/wordcount.wasm").toAbsolutePath();

    private Guests() {}

    /** The module of a conformance case. */
    public static String module(String conformanceCase) {
        return CASES.resolve(conformanceCase).resolve("module.wasm").toString();
    }
}
