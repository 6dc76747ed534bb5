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

    /** Logs "could not WHAT TOPIC-PARTITION offset N; failing" and fails. */
    private static Response fail(String what, ErrorHandlerContext context, Exception exception) {
        LOG.error(
                "could not {} {}-{} offset {}; failing",
                what,
                context.topic(),
                context.partition(),
                context.offset(),
                exception);
        return Response.fail();
    }
}
