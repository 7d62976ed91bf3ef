package dev.cidra.cli.platform;

import java.util.List;

/**
 * A process of the local platform. {@code cidra up} starts them in declaration order and {@code cidra down} stops them
 * in reverse order.
 */
enum Component {
    KAFKA("kafka") {
        @Override
        List<String> endpoints(Ports ports) {
            return List.of("Kafka bootstrap   " + Ports.HOST + ":" + ports.kafka());
        }
    },
    S3PROXY("s3proxy") {
        @Override
        List<String> endpoints(Ports ports) {
            return List.of(
                    "S3 endpoint       " + ports.s3Endpoint() + "  (path-style, region " + S3ProxyService.REGION + ")",
                    "S3 credentials    access key " + S3ProxyService.ACCESS_KEY + ", secret key "
                            + S3ProxyService.SECRET_KEY);
        }
    },
    GATEWAY("gateway") {
        @Override
        List<String> endpoints(Ports ports) {
            String base = "http://" + Ports.HOST + ":" + ports.gateway();
            return List.of(
                    "Gateway           " + base + "  (modules in bucket " + GatewayService.BUCKET + ")",
                    "Console           " + base + "/console/",
                    "Swagger UI        " + base + "/q/swagger-ui");
        }
    },
    /** After the gateway, which creates the module bucket the executor's readiness needs. */
    EXECUTOR("executor") {
        @Override
        List<String> endpoints(Ports ports) {
            return List.of("Executor          " + ports.executorUri() + "  (health, metrics, local results)");
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

    /** Lines naming where this component listens, for {@code up} and {@code status}. */
    abstract List<String> endpoints(Ports ports);
}
