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
        LOG.error(
                "could not write to {} the output of {}-{} offset {}; failing",
                record.topic(),
                context.topic(),
                context.partition(),
                context.offset(),
                exception);
        return Response.fail();
    }

    @Override
    @SuppressWarnings("rawtypes")
    public Response handleSerializationError(
            ErrorHandlerContext context,
            ProducerRecord record,
            Exception exception,
            SerializationExceptionOrigin origin) {
        LOG.error(
                "could not serialize the {} of a record for {} from {}-{} offset {}; failing",
                origin == SerializationExceptionOrigin.KEY ? "key" : "value",
                record.topic(),
                context.topic(),
                context.partition(),
                context.offset(),
                exception);
        return Response.fail();
    }
}
