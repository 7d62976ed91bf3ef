package dev.cidra.load.gatling;

import static io.gatling.javaapi.core.CoreDsl.atOnceUsers;
import static io.gatling.javaapi.core.CoreDsl.feed;
import static io.gatling.javaapi.core.CoreDsl.scenario;

import io.gatling.javaapi.core.Simulation;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Calls over {@code cidra.modules} distinct modules (default 1000), module of rank k chosen with probability
 * proportional to 1/k^{@code cidra.zipf-exponent} (default 1.0), so the executor's module caches see a realistic
 * popularity skew. The modules are {@code cidra.trivial} (trivial.wasm) each with a distinct custom section of
 * {@code cidra.pad-bytes} (default 0) extra bytes, uploaded before the load starts. Closed model like
 * {@link HotModule}: {@code cidra.concurrency} users for {@code cidra.seconds}.
 */
public class ZipfMix extends Simulation {
    {
        List<String> cids = DistinctModules.upload(
                Config.gateway(),
                Path.of(Config.required("cidra.trivial")),
                Config.integer("cidra.modules", 1000),
                Config.integer("cidra.pad-bytes", 0));
        var zipf = new Zipf(cids.size(), Config.decimal("cidra.zipf-exponent", 1.0));
        var feeder = Stream.generate(() -> Map.<String, Object>of("cid", cids.get(zipf.next())))
                .iterator();
        var calls = scenario("ZipfMix").during(Config.duration()).on(feed(feeder), Invoke.call());
        setUp(calls.injectOpen(atOnceUsers(Config.integer("cidra.concurrency", 64))))
                .protocols(Invoke.protocol());
    }
}
