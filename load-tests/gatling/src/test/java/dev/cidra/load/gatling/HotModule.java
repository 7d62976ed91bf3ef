package dev.cidra.load.gatling;

import static io.gatling.javaapi.core.CoreDsl.atOnceUsers;
import static io.gatling.javaapi.core.CoreDsl.scenario;

import io.gatling.javaapi.core.Simulation;

/**
 * Many synchronous calls of one module: {@code cidra.concurrency} virtual users (default 64), each calling
 * {@code cidra.cid} back to back on its own keep-alive connection for {@code cidra.seconds}. Closed model: the
 * throughput is the platform's peak for one hot module.
 */
public class HotModule extends Simulation {
    {
        String cid = Config.required("cidra.cid");
        var calls = scenario("HotModule")
                .exec(session -> session.set("cid", cid))
                .during(Config.duration())
                .on(Invoke.call());
        setUp(calls.injectOpen(atOnceUsers(Config.integer("cidra.concurrency", 64))))
                .protocols(Invoke.protocol());
    }
}
