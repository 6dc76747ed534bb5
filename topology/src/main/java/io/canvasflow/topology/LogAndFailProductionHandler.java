package io.canvasflow.topology;

import java.util.Map;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.streams.errors.ErrorHandlerContext;
import org.apache.kafka.streams.errors.ProductionExceptionHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A mask or dead letter that cannot be written fails the stream thread after logging where it came
 * from: nothing is dropped silently. Under exactly-once the transaction aborts, and the replaced
 * thread reprocesses the frame.
 *
 * <p>Resuming is no way out under exactly-once: tried on a dead letter the broker refused as too
 * large, the producer's transaction was already in an error state, and the commit that followed
 * failed the thread all the same ("Cannot execute transactional method because we are in an error
 * state"). Records too large for their topic are therefore prevented at start ({@link
 * DeadLetterRoom}, {@link ChangelogRoom}).
 */
public final class LogAndFailProductionHandler implements ProductionExceptionHandler {

    private static final Logger LOG = LoggerFactory.getLogger(LogAndFailProductionHandler.class);

    @Override
    public void configure(Map<String, ?> configs) {}

    @Override
    public Response handleError(
            ErrorHandlerContext context,
            ProducerRecord<byte[], byte[]> record,
            Exception exception) {
        return fail("write to " + record.topic() + " the output of", context, exception);
    }

    @Override
    @SuppressWarnings("rawtypes")
    public Response handleSerializationError(
            ErrorHandlerContext context,
            ProducerRecord record,
            Exception exception,
            SerializationExceptionOrigin origin) {
        String part = origin == SerializationExceptionOrigin.KEY ? "key" : "value";
        return fail(
                "serialize the " + part + " of a record for " + record.topic() + " from",
                context,
                exception);
    }

    /**
     * Logs "could not WHAT TOPIC-PARTITION offset N; failing" and fails. A record written outside
     * of processing (a dead letter of a record that could not be read, say) has no source.
     */
    private static Response fail(String what, ErrorHandlerContext context, Exception exception) {
        String source =
                context.topic() == null
                        ? "a record of unknown source"
                        : context.topic()
                                + "-"
                                + context.partition()
                                + " offset "
                                + context.offset();
        LOG.error("could not {} {}; failing", what, source, exception);
        return Response.fail();
    }
}
