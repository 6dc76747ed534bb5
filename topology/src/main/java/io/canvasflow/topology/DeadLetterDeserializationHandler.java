package io.canvasflow.topology;

import io.canvasflow.schemas.avro.DeadLetter;
import io.canvasflow.schemas.avro.DeadLetterReason;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.streams.errors.DeserializationExceptionHandler;
import org.apache.kafka.streams.errors.ErrorHandlerContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.event.Level;

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

    /** Shared by the handlers of every stream thread. */
    private static final BadRecordLog BAD_RECORDS = new BadRecordLog(LOG, Level.WARN);

    @Override
    public Response handleError(
            ErrorHandlerContext context,
            ConsumerRecord<byte[], byte[]> record,
            Exception exception) {
        DeadLetterReason reason = DeadLetters.reasonOf(exception);
        boolean kept = settings.dlqTopic() != null;
        BAD_RECORDS.log(
                reason,
                String.format(
                        "%s an unreadable record from %s-%d at offset %d (%s): %s",
                        kept ? "dead-lettering" : "skipping (no dead-letter topic is configured)",
                        record.topic(),
                        record.partition(),
                        record.offset(),
                        reason,
                        exception.getMessage()),
                exception);
        settings.metrics().deadLetter(reason);
        if (!kept) {
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
                        config.dlqOriginalMaxBytes(),
                        System.currentTimeMillis());
        return Response.resume(List.of(DeadLetters.record(settings.dlqTopic(), letter)));
    }
}
