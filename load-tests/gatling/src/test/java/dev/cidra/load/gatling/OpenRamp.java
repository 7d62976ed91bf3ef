package dev.cidra.load.gatling;

import static io.gatling.javaapi.core.CoreDsl.incrementUsersPerSec;
import static io.gatling.javaapi.core.CoreDsl.responseTimeInMillis;
import static io.gatling.javaapi.core.CoreDsl.scenario;

import io.gatling.javaapi.core.Simulation;
import java.nio.file.Path;
import java.time.Duration;

/**
 * An open-model ramp of the arrival rate to find the knee: {@code cidra.from} calls/s (default 50), raised by
 * {@code cidra.step} (250) every {@code cidra.level-seconds} (15) for {@code cidra.levels} levels (13: up to 3,050/s),
 * each call a new virtual user calling {@code cidra.cid} once. Besides Gatling's report, the latency and errors of
 * the calls started in each level go to {@code cidra.levels-file} (CSV, see {@link Levels}).
 */
public class OpenRamp extends Simulation {
    private final Levels levels;

    {
        String cid = Config.required("cidra.cid");
        int from = Config.integer("cidra.from", 50);
        int step = Config.integer("cidra.step", 250);
        int count = Config.integer("cidra.levels", 13);
        Duration level = Duration.ofSeconds(Config.integer("cidra.level-seconds", 15));
        levels = new Levels(from, step, count, level, Path.of(Config.required("cidra.levels-file")));
        var call = scenario("OpenRamp")
                .exec(session -> session.set("cid", cid).set("start", levels.begin()))
                .exec(Invoke.call().check(responseTimeInMillis().saveAs("millis")))
                .exec(session -> {
                    levels.record(
                            session.getLong("start"),
                            session.contains("millis") ? session.getInt("millis") : -1,
                            session.isFailed());
                    return session;
                });
        setUp(call.injectOpen(incrementUsersPerSec(step)
                        .times(count)
                        .eachLevelLasting(level)
                        .startingFrom(from)))
                .protocols(Invoke.protocol());
    }

    @Override
    public void after() {
        levels.write();
    }
}
