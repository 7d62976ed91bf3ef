package dev.cidra.cli.platform;

import java.util.Comparator;
import java.util.Optional;

/**
 * One process of the local platform: replica {@code number} (from 1) of a {@link Component}. Kafka and S3Proxy have one
 * replica; {@code cidra up --gateways M --executors N} starts M gateways and N executors. Replicas start in
 * {@link #START_ORDER} and stop in reverse.
 */
record Replica(Component component, int number) {
    /** Kafka, S3Proxy, the gateways, the executors; replicas of one component by number. */
    static final Comparator<Replica> START_ORDER =
            Comparator.comparing(Replica::component).thenComparingInt(Replica::number);

    Replica {
        if (number < 1) {
            throw new IllegalArgumentException("replica numbers start at 1, not " + number);
        }
    }

    /** The first (for Kafka and S3Proxy, the only) replica of {@code component}. */
    static Replica first(Component component) {
        return new Replica(component, 1);
    }

    /**
     * The name used in messages, file names ({@code logs/gateway.log}, {@code run/gateway-2.pid}) and markers: the
     * component's id for the first replica, {@code <id>-<number>} for the others.
     */
    String id() {
        return number == 1 ? component.id() : component.id() + "-" + number;
    }

    /** The replica {@link #id()} names, or empty if {@code id} names none. */
    static Optional<Replica> parse(String id) {
        for (Component component : Component.values()) {
            if (id.equals(component.id())) {
                return Optional.of(first(component));
            }
            String prefix = component.id() + "-";
            if (id.startsWith(prefix) && id.substring(prefix.length()).matches("[1-9][0-9]{0,3}")) {
                int number = Integer.parseInt(id.substring(prefix.length()));
                return number == 1 ? Optional.empty() : Optional.of(new Replica(component, number));
            }
        }
        return Optional.empty();
    }

    @Override
    public String toString() {
        return id();
    }
}
