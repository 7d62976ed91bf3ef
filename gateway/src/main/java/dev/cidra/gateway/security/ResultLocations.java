package dev.cidra.gateway.security;

import dev.cidra.contract.Publisher;
import dev.cidra.gateway.jobs.JobStatus;
import jakarta.inject.Singleton;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Decides whether the gateway may read a job's result where the job's events say it is. Those events come from Kafka,
 * which anyone who may write {@code cidra.job-events} can forge, so the location is checked against what the gateway
 * knows itself: a {@code local} result only at {@code /v1/results/<the job's execution id>} on an address of the
 * executors' networks ({@link AuthConfig#executorNetworks()}); an {@code s3} result only under a key naming the job,
 * where the job's tenant may write ({@link JobStorageRules}: never the platform's buckets or an endpoint the operator
 * did not allow). Thread-safe.
 */
@Singleton
public class ResultLocations {
    private final JobStorageRules storage;
    private final List<Network> executorNetworks;

    /** @throws IllegalArgumentException if a configured network is not a CIDR block */
    ResultLocations(JobStorageRules storage, AuthConfig auth) {
        this.storage = storage;
        var networks = new ArrayList<Network>();
        for (String cidr : auth.executorNetworks().orElse(List.of())) {
            networks.add(Network.parse(cidr.strip()));
        }
        this.executorNetworks = List.copyOf(networks);
    }

    /** Why the gateway will not read {@code job}'s published result, or empty if it may. */
    public Optional<String> refusal(JobStatus job) {
        JobStatus.Result result = job.result();
        String executionId = executionIdOf(job.jobID());
        if (Publisher.LOCAL.equals(result.type())) {
            return localRefusal(result.url(), executionId, job.count() == null ? 1 : job.count());
        }
        String key = result.key() == null ? "" : result.key();
        if (!key.contains(job.jobID()) && (executionId == null || !key.contains(executionId))) {
            return Optional.of("its key " + key + " names neither the job nor its execution");
        }
        return storage.writeRefusal(job.tenant(), result.endpoint(), result.bucket(), key);
    }

    /** @param count the job's executions: {@code <executionId>-1} to {@code -count} when above 1 */
    private Optional<String> localRefusal(String url, String executionId, int count) {
        URI uri;
        try {
            uri = URI.create(url);
        } catch (IllegalArgumentException | NullPointerException e) {
            return Optional.of("its URL is not a URI");
        }
        String path = uri.getRawPath();
        boolean ours = executionId != null
                && (count == 1
                        ? ("/v1/results/" + executionId).equals(path)
                        : java.util.stream.IntStream.rangeClosed(1, count)
                                .anyMatch(i -> ("/v1/results/" + executionId + "-" + i).equals(path)));
        if (!ours || uri.getRawQuery() != null) {
            return Optional.of("its URL is not the executor's address of this job's execution");
        }
        String host = uri.getHost();
        InetAddress address;
        try {
            address = host == null || !isIpLiteral(host) ? null : InetAddress.getByName(host);
        } catch (UnknownHostException e) {
            address = null;
        }
        if (!"http".equals(uri.getScheme()) || address == null) {
            return Optional.of("its URL does not name an executor by IP address over http");
        }
        for (Network network : executorNetworks) {
            if (network.contains(address)) {
                return Optional.empty();
            }
        }
        return Optional.of("its URL names " + address.getHostAddress() + ", which is in none of the executors' networks"
                + " (cidra.auth.executor-networks)");
    }

    /** The execution id the gateway gives a job it accepts ({@code j-<uuid>} runs as {@code e-<uuid>}), else null. */
    static String executionIdOf(String jobId) {
        return jobId.startsWith("j-") ? "e-" + jobId.substring(2) : null;
    }

    private static boolean isIpLiteral(String host) {
        return host.startsWith("[") || host.chars().allMatch(c -> Character.isDigit(c) || c == '.');
    }

    /** A CIDR block. */
    private record Network(byte[] address, int prefixLength) {
        static Network parse(String cidr) {
            int slash = cidr.indexOf('/');
            try {
                if (slash < 0
                        || !isIpLiteral(cidr.substring(0, slash))
                                && !cidr.substring(0, slash).contains(":")) {
                    throw new IllegalArgumentException("not ADDRESS/PREFIX");
                }
                byte[] bytes = InetAddress.getByName(cidr.substring(0, slash)).getAddress();
                int length = Integer.parseInt(cidr.substring(slash + 1));
                if (length < 0 || length > bytes.length * 8) {
                    throw new IllegalArgumentException("prefix length out of range");
                }
                return new Network(bytes, length);
            } catch (UnknownHostException | IllegalArgumentException e) {
                throw new IllegalArgumentException(
                        "cidra.auth.executor-networks entry \"" + cidr + "\" is not a CIDR block such as 10.0.0.0/8",
                        e);
            }
        }

        boolean contains(InetAddress candidate) {
            byte[] other = candidate.getAddress();
            if (other.length != address.length) {
                return false;
            }
            for (int bit = 0; bit < prefixLength; bit++) {
                int mask = 0x80 >> (bit % 8);
                if ((other[bit / 8] & mask) != (address[bit / 8] & mask)) {
                    return false;
                }
            }
            return true;
        }
    }
}
