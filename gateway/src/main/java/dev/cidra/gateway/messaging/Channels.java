package dev.cidra.gateway.messaging;

import dev.cidra.contract.CatchUp;
import io.smallrye.reactive.messaging.kafka.KafkaClientService;
import io.smallrye.reactive.messaging.kafka.KafkaConsumer;
import java.time.Duration;
import org.jboss.logging.Logger;

/** What the readers of whole topics through SmallRye channels share. */
final class Channels {
    private static final Logger LOG = Logger.getLogger(Channels.class);

    private Channels() {}

    /**
     * Whether the reader of {@code channel} has caught up; until it has, first {@linkplain CatchUp#probe probes} the
     * channel's consumer on its polling thread, waiting at most {@code timeout}. Not on an event-loop thread.
     */
    static boolean caughtUp(CatchUp catchUp, KafkaClientService channels, String channel, Duration timeout) {
        if (!catchUp.caughtUp()) {
            KafkaConsumer<Object, Object> consumer = channels.getConsumer(channel);
            if (consumer != null) {
                try {
                    consumer.runOnPollingThread(catchUp::probe).await().atMost(timeout);
                } catch (RuntimeException e) {
                    LOG.debugf(e, "the consumer of channel %s did not say where it is", channel);
                }
            }
        }
        return catchUp.caughtUp();
    }
}
