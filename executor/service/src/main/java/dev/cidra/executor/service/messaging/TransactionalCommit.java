package dev.cidra.executor.service.messaging;

import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.jboss.logging.Logger;

/**
 * Commits a {@link PollLoop} batch whose outcomes are records to publish: the records, in outcome order, and the
 * batch's offsets (with the consumer's group metadata, so a consumer that lost its partitions cannot commit) go in one
 * Kafka transaction. Either all of them become visible to {@code read_committed} readers, or none do and the batch
 * runs again. Used on its loop's thread only, as the transactional producer it owns requires.
 */
final class TransactionalCommit implements PollLoop.Commit<List<ProducerRecord<byte[], byte[]>>> {
    /** Aborted commits in a row after which the loop gives up (and stops) rather than run the batch again at once. */
    static final int MAX_ABORTS_IN_A_ROW = 5;

    private static final Logger LOG = Logger.getLogger(TransactionalCommit.class);

    private final Producer<byte[], byte[]> transactions;
    private int abortsInARow;

    /** @param transactions a producer whose transactions are initialized */
    TransactionalCommit(Producer<byte[], byte[]> transactions) {
        this.transactions = transactions;
    }

    /**
     * @return false, to have the batch run again, if the transaction failed and was aborted
     * @throws KafkaException if the transaction can be neither committed nor aborted (e.g. the producer was fenced by
     *     a newer incarnation of the same transactional id), or was aborted {@value #MAX_ABORTS_IN_A_ROW} times in a
     *     row (a record Kafka keeps refusing, an output topic that is gone): the loop stops
     */
    @Override
    public boolean commit(
            PollLoop.Batch<List<ProducerRecord<byte[], byte[]>>> batch, Consumer<byte[], byte[]> consumer) {
        var out = new ArrayList<ProducerRecord<byte[], byte[]>>();
        batch.outcomes().forEach(out::addAll);
        try {
            transactions.beginTransaction();
            out.forEach(transactions::send);
            transactions.sendOffsetsToTransaction(batch.nextOffsets(), consumer.groupMetadata());
            transactions.commitTransaction();
            abortsInARow = 0;
            return true;
        } catch (KafkaException e) {
            transactions.abortTransaction();
            if (++abortsInARow >= MAX_ABORTS_IN_A_ROW) {
                throw new KafkaException(
                        "the transaction of " + out.size() + " records was aborted " + abortsInARow
                                + " times in a row; giving up on " + batch.partitions() + ": " + e.getMessage(),
                        e);
            }
            LOG.errorf(e, "the transaction of %d records failed; %s run again", out.size(), batch.partitions());
            return false;
        }
    }
}
