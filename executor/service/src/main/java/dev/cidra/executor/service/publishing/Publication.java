package dev.cidra.executor.service.publishing;

import dev.cidra.contract.Publisher;
import java.time.Instant;

/**
 * What the {@link ResultPublisher} needs to know of the run whose result it publishes: where to, and the values its
 * key template and archive take.
 *
 * @param jobId the key's {@code {jobID}}
 * @param executionId the key's {@code {executionID}}, and the name a local result is served under
 * @param nodeId the key's {@code {nodeID}}: the node that ran it
 * @param submittedAt the key's {@code {date}} and {@code {time}} (UTC), and the archive entries' time: fixed for the
 *     run, so that running it again writes the same key
 * @param publisher where the result goes
 * @param tenant the tenant whose grants decide where the result may be written; null means the default tenant
 */
public record Publication(
        String jobId, String executionId, String nodeId, Instant submittedAt, Publisher publisher, String tenant) {}
