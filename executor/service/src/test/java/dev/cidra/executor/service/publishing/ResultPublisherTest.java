package dev.cidra.executor.service.publishing;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.cidra.contract.Publisher;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ResultPublisherTest {
    private static final Instant SUBMITTED = Instant.parse("2026-12-02T06:07:08.999Z");

    @ParameterizedTest(name = "{0} {1}")
    @CsvSource({
        "'runs/{jobID}/{date}-{time}', gzip, runs/j-1/20261202-060708.tar.gz",
        "'runs/{executionID}/{nodeID}.tar.gz', gzip, runs/e-1/node-a.tar.gz",
        "'out/{jobID}', plain, out/j-1/",
        "'out/{jobID}/', plain, out/j-1/",
    })
    void theKeyIsThePublicationsTemplateExpanded(String template, String encoding, String key) {
        var publisher = new Publisher(Publisher.S3, Map.of("Bucket", "results", "Key", template, "Encoding", encoding));
        var publication = new Publication("j-1", "e-1", "node-a", SUBMITTED, publisher, null);
        assertEquals(key, ResultPublisher.key(publication));
    }
}
