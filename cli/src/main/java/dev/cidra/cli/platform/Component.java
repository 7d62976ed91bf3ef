package dev.cidra.cli.platform;

import java.util.List;

/**
 * A kind of process of the local platform. {@code cidra up} starts them in declaration order ({@link Replica}: several
 * gateways or executors, by number) and {@code cidra down} stops them in reverse order.
 */
enum Component {
    KAFKA("kafka") {
        @Override
        List<String> endpoints(Ports ports, Replica replica) {
            return List.of(line("Kafka bootstrap", Ports.HOST + ":" + ports.kafka()));
        }

        @Override
        Service.Readiness readiness(Ports ports, Replica replica) {
            return KafkaService.readiness(ports);
        }
    },
    S3PROXY("s3proxy") {
        @Override
        List<String> endpoints(Ports ports, Replica replica) {
            return List.of(
                    line("S3 endpoint", ports.s3Endpoint() + "  (path-style, region " + S3ProxyService.REGION + ")"),
                    line(
                            "S3 credentials",
                            "access key " + S3ProxyService.ACCESS_KEY + ", secret key " + S3ProxyService.SECRET_KEY));
        }

        @Override
        Service.Readiness readiness(Ports ports, Replica replica) {
            return S3ProxyService.readiness(ports);
        }
    },
    GATEWAY("gateway") {
        @Override
        List<String> endpoints(Ports ports, Replica replica) {
            String base = ports.uri(replica).toString();
            String suffix = replica.number() == 1 ? "" : " " + replica.number();
            return List.of(
                    line("Gateway" + suffix, base + "  (modules in bucket " + GatewayService.BUCKET + ")"),
                    line("Console" + suffix, base + "/console/"),
                    line("Swagger UI" + suffix, base + "/q/swagger-ui"));
        }
    },
    /** After the gateway, which creates the module bucket the executor's readiness needs. */
    EXECUTOR("executor") {
        @Override
        List<String> endpoints(Ports ports, Replica replica) {
            String suffix = replica.number() == 1 ? "" : " " + replica.number();
            return List.of(line("Executor" + suffix, ports.uri(replica) + "  (health, metrics, local results)"));
        }
    };

    private final String id;

    Component(String id) {
        this.id = id;
    }

    /** The name used in messages, file names ({@code logs/kafka.log}, {@code run/kafka.pid}) and markers. */
    String id() {
        return id;
    }

    /** Lines naming where {@code replica} of this component listens, for {@code up} and {@code status}. */
    abstract List<String> endpoints(Ports ports, Replica replica);

    /**
     * Opens a check of whether {@code replica} serves requests; the caller closes it. Gateways and executors: their
     * {@code /q/health/ready}.
     */
    Service.Readiness readiness(Ports ports, Replica replica) {
        return new HttpReadiness(ports.uri(replica));
    }

    private static String line(String label, String value) {
        return String.format("%-17s %s", label, value);
    }
}
