package io.canvasflow.topology;

import io.canvasflow.schemas.avro.DeadLetter;
import io.canvasflow.schemas.avro.DeadLetterReason;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.streams.errors.DeserializationExceptionHandler;
import org.apache.kafka.streams.errors.ErrorHandlerContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends records that are not frames (another schema's record, random or truncated bytes) to the
 * dead-letter topic as a {@link DeadLetter} with the original bytes, and continues.
 *
 * <p>It uses Kafka Streams' own dead-letter mechanism (KIP-1034, Kafka 4.1+): the handler returns
 * the dead-letter record in its {@link Response}, and Streams sends it through the task's record
 * collector, inside the task's transaction under exactly-once, so that the skipped input offset and
 * its dead letter commit together. No producer of its own.
 */
public final class DeadLetterDeserializationHandler extends DeadLetterHandler
        implements DeserializationExceptionHandler {

    private static final Logger LOG =
            LoggerFactory.getLogger(DeadLetterDeserializationHandler.class);

    @Override
    public Response handleError(
            ErrorHandlerContext context,
            ConsumerRecord<byte[], byte[]> record,
            Exception exception) {
        DeadLetterReason reason = DeadLetters.reasonOf(exception);
        LOG.warn(
                "dead-lettering an unreadable record from {}-{} at offset {} ({}): {}",
                record.topic(),
                record.partition(),
                record.offset(),
                reason,
                exception.getMessage());
        settings.metrics().deadLetter(reason);
        if (settings.dlqTopic() == null) {
            LOG.error(
                    "no dead-letter topic is configured; the record at offset {} is skipped",
                    record.offset());
            return Response.resume();
        }
        CanvasFlowConfig config = settings.config();
        DeadLetter letter =
                DeadLetters.of(
                        record.topic(),
                        record.partition(),
                        record.offset(),
                        DeadLetters.cameraIdOf(record.key(), config.cameraIdMaxLength()),
                        reason,
                        exception.getMessage(),
                        record.key(),
                        record.value(),
                        config.frameMaxBytes(),
                        System.currentTimeMillis());
        return Response.resume(List.of(DeadLetters.record(settings.dlqTopic(), letter)));
    }
}
