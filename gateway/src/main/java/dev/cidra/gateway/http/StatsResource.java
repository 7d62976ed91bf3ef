package dev.cidra.gateway.http;

import dev.cidra.gateway.service.InvocationService;
import dev.cidra.gateway.service.JobService;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.concurrent.TimeUnit;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * This replica's running totals from its own meters, for the console's live chart: a reader samples them twice and
 * divides the differences by the time between (calls/s, mean latency). The same figures as {@code /q/metrics}, as JSON.
 */
@Path("/v1/stats")
@Tag(name = "Stats")
public class StatsResource {
    private final MeterRegistry meters;

    StatsResource(MeterRegistry meters) {
        this.meters = meters;
    }

    /**
     * Running totals since this replica started.
     *
     * @param invocations synchronous calls answered, every outcome
     * @param invocationSeconds their summed time, in seconds
     * @param jobSubmissions job submissions taken, every outcome
     */
    public record Totals(long invocations, double invocationSeconds, long jobSubmissions) {}

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "Running totals", description = "Calls, their summed time and job submissions, since start.")
    @APIResponse(responseCode = "200", content = @Content(schema = @Schema(implementation = Totals.class)))
    public Totals totals() {
        double calls = meters.find(InvocationService.INVOCATIONS).counters().stream()
                .mapToDouble(Counter::count)
                .sum();
        double seconds = meters.find(InvocationService.INVOCATION_DURATION).timers().stream()
                .mapToDouble(timer -> timer.totalTime(TimeUnit.NANOSECONDS) / 1e9)
                .sum();
        double jobs = meters.find(JobService.SUBMISSIONS).counters().stream()
                .mapToDouble(Counter::count)
                .sum();
        return new Totals((long) calls, seconds, (long) jobs);
    }
}
