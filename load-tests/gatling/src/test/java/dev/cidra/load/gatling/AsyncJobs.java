package dev.cidra.load.gatling;

import static io.gatling.javaapi.core.CoreDsl.StringBody;
import static io.gatling.javaapi.core.CoreDsl.asLongAsDuring;
import static io.gatling.javaapi.core.CoreDsl.constantUsersPerSec;
import static io.gatling.javaapi.core.CoreDsl.exec;
import static io.gatling.javaapi.core.CoreDsl.group;
import static io.gatling.javaapi.core.CoreDsl.jsonPath;
import static io.gatling.javaapi.core.CoreDsl.pause;
import static io.gatling.javaapi.core.CoreDsl.scenario;
import static io.gatling.javaapi.http.HttpDsl.http;
import static io.gatling.javaapi.http.HttpDsl.status;

import io.gatling.javaapi.core.Session;
import io.gatling.javaapi.core.Simulation;
import java.nio.file.Path;
import java.time.Duration;

/**
 * Asynchronous jobs: {@code cidra.rate} jobs per second (default 10, open model) for {@code cidra.seconds}, each
 * running {@code cidra.cid} with its result published to S3 ({@code cidra.bucket}, key {@code jobs/{jobID}}, gzip),
 * then polled ({@code GET /v1/jobs/{id}} every {@code cidra.poll-millis}, default 50) until it is completed or failed.
 * A job's time, from before its submission to the first poll that saw it completed (so up to one poll interval too
 * long), goes to {@code cidra.levels-file} (CSV, one level, see {@link Levels}); a job that failed, or is not completed
 * within 60 s, counts as an error. Gatling's group "job" shows the sum of its requests' times, not the job's.
 */
public class AsyncJobs extends Simulation {
    private static final Duration GIVE_UP = Duration.ofSeconds(60);
    private final Levels jobs;

    {
        int rate = Config.integer("cidra.rate", 10);
        jobs = new Levels(rate, 0, 1, Config.duration(), Path.of(Config.required("cidra.levels-file")));
        String spec = """
                {"Name": "load", "Type": "batch", "Tasks": [{
                  "Name": "trivial",
                  "Engine": {"Type": "wasm", "Params": {"EntryModule": "%s"}},
                  "Publisher": {"Type": "s3", "Params": {"Bucket": "%s", "Key": "jobs/{jobID}", "Encoding": "gzip"}},
                  "Network": {"Type": "None"},
                  "Timeouts": {"ExecutionTimeout": 60}
                }]}
                """.formatted(Config.required("cidra.cid"), Config.required("cidra.bucket"));
        var poll = Duration.ofMillis(Config.integer("cidra.poll-millis", 50));
        var job = group("job")
                .on(exec(session -> session.set("start", jobs.begin()))
                        .exec(http("submit")
                                .post("/v1/jobs")
                                .header("Content-Type", "application/json")
                                .body(StringBody(spec))
                                .check(status().is(202), jsonPath("$.jobID").saveAs("job")))
                        .exitHereIfFailed()
                        .exec(session -> session.set("state", "queued"))
                        .exec(asLongAsDuring(AsyncJobs::pending, GIVE_UP)
                                .on(pause(poll)
                                        .exec(http("status")
                                                .get("/v1/jobs/#{job}")
                                                .check(
                                                        status().is(200),
                                                        jsonPath("$.state").saveAs("state")))))
                        .exec(session -> {
                            boolean completed = "completed".equals(session.getString("state"));
                            long start = session.getLong("start");
                            jobs.record(start, (int) ((System.nanoTime() - start) / 1_000_000), !completed);
                            return completed ? session : session.markAsFailed();
                        }));
        setUp(scenario("AsyncJobs")
                        .exec(job)
                        .injectOpen(constantUsersPerSec(rate).during(Config.duration())))
                .protocols(Invoke.protocol());
    }

    @Override
    public void after() {
        jobs.write();
    }

    private static boolean pending(Session session) {
        String state = session.getString("state");
        return !session.isFailed() && !"completed".equals(state) && !"failed".equals(state);
    }
}
