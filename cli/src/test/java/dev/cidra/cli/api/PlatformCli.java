package dev.cidra.cli.api;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cidra.cli.CidraProcess;
import dev.cidra.cli.CidraProcess.Run;
import dev.cidra.cli.platform.SharedPlatform;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Pattern;
import software.amazon.awssdk.core.sync.RequestBody;

/**
 * Runs {@code cidra} in child JVMs against the {@link SharedPlatform}, whose gateway {@code $CIDRA_API} names, with its
 * admin token as {@code $CIDRA_TOKEN}.
 */
final class PlatformCli {
    private static final Pattern JOB_ID = Pattern.compile("job (j-[0-9a-f-]+): ");

    private final CidraProcess process;

    PlatformCli(Path dir) throws IOException, InterruptedException {
        this(dir, Duration.ofSeconds(120));
    }

    /** @param timeout how long one {@code cidra} may take */
    PlatformCli(Path dir, Duration timeout) throws IOException, InterruptedException {
        this.process = new CidraProcess(
                dir,
                List.of(),
                Map.of(
                        "CIDRA_API",
                        SharedPlatform.get().gateway().toString(),
                        "CIDRA_TOKEN",
                        SharedPlatform.get().token()),
                timeout);
    }

    Run run(String... args) throws IOException, InterruptedException {
        return process.run(args);
    }

    /** A new bucket of the platform's S3 store holding {@code objects} (key to text); its name. */
    static String bucket(Map<String, String> objects) throws IOException, InterruptedException {
        String bucket = "cli-test-" + UUID.randomUUID();
        try (var s3 = SharedPlatform.get().s3()) {
            s3.createBucket(b -> b.bucket(bucket));
            objects.forEach((key, text) -> s3.putObject(b -> b.bucket(bucket).key(key), RequestBody.fromString(text)));
        }
        return bucket;
    }

    /** The id of the job whose progress a waiting run showed on stderr. */
    static String jobId(Run run) {
        var matcher = JOB_ID.matcher(run.stderr());
        assertTrue(matcher.find(), run.stderr());
        return matcher.group(1);
    }
}
