package dev.cidra.gateway.spec;

import com.code_intelligence.jazzer.junit.FuzzTest;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cidra.gateway.config.GatewayConfig;
import io.smallrye.config.SmallRyeConfigBuilder;
import java.time.Instant;

/**
 * Fuzz targets for the gateway's readers of untrusted bodies: job specs (JSON and YAML), trigger definitions and
 * CloudEvents envelopes, exactly as {@code POST /v1/jobs}, {@code POST /v1/triggers} and {@code cidra.job-submissions}
 * read them. The property: a body is either read or refused with an {@link InvalidRequestException} (a 400 or a dead
 * letter with its detail); any other exception would be a 500 or a crashed consumer, a finding.
 *
 * <p>Without {@code JAZZER_FUZZ} each target runs over its seeds in {@code SpecFuzzTestInputs/<target>/}; the
 * gateway's build fuzzes each for a few seconds ({@code fuzz-*} executions).
 */
class SpecFuzzTest {
    private static final GatewayConfig CONFIG = new SmallRyeConfigBuilder()
            .withMapping(GatewayConfig.class)
            .withConverter(java.time.Duration.class, 100, new io.quarkus.runtime.configuration.DurationConverter())
            .withDefaultValue("cidra.kafka.bootstrap-servers", "127.0.0.1:9")
            .build()
            .getConfigMapping(GatewayConfig.class);
    private static final SpecParser PARSER = new SpecParser(new ObjectMapper().findAndRegisterModules());
    private static final JobSpecReader JOBS = new JobSpecReader(CONFIG);
    private static final TriggerSpecReader TRIGGERS = new TriggerSpecReader(CONFIG);
    private static final Instant NOW = Instant.parse("2026-12-02T07:00:00Z");

    @FuzzTest(maxDuration = "10s")
    void jobSpec(byte[] body) {
        readJob(body, false);
    }

    @FuzzTest(maxDuration = "10s")
    void jobSpecYaml(byte[] body) {
        readJob(body, true);
    }

    @FuzzTest(maxDuration = "10s")
    void triggerSpec(byte[] body) {
        try {
            JsonNode root = PARSER.parse(body, false, InvalidRequestException.Kind.TRIGGER, "a trigger");
            TRIGGERS.read(root, "t-1", NOW);
        } catch (InvalidRequestException refused) {
            // a 400 naming the field
        }
    }

    @FuzzTest(maxDuration = "10s")
    void cloudEvent(byte[] body) {
        try {
            JsonNode root = PARSER.parse(body, false, InvalidRequestException.Kind.JOB_SPEC, "a job spec");
            CloudEvent.unwrap(root).ifPresent(event -> JOBS.read(event.data(), "j-1", "e-1", NOW));
        } catch (InvalidRequestException refused) {
            // dead-lettered with its detail
        }
    }

    private static void readJob(byte[] body, boolean yaml) {
        try {
            JsonNode root = PARSER.parse(body, yaml, InvalidRequestException.Kind.JOB_SPEC, "a job spec");
            JOBS.read(root, "j-1", "e-1", NOW);
        } catch (InvalidRequestException refused) {
            // a 400 naming the field
        }
    }
}
