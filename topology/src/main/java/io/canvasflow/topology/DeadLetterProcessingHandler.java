package io.canvasflow.topology;

import io.canvasflow.schemas.avro.DeadLetter;
import io.canvasflow.schemas.avro.DeadLetterReason;
import java.util.List;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.streams.errors.ErrorHandlerContext;
import org.apache.kafka.streams.errors.ProcessingExceptionHandler;
import org.apache.kafka.streams.processor.api.Record;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.event.Level;

/**
 * The backstop behind the processors' own error handling: an unexpected exception while processing
 * a frame sends it to the dead-letter topic as {@code PROCESSING_ERROR} and continues, so that one
 * poison frame cannot stop a camera. Kafka and state-store failures are not the frame's fault and
 * fail the stream thread, which the application then replaces.
 */
public final class DeadLetterProcessingHandler extends DeadLetterHandler
        implements ProcessingExceptionHandler {

    private static final Logger LOG = LoggerFactory.getLogger(DeadLetterProcessingHandler.class);

    /** Shared by the handlers of every stream thread. */
    private static final BadRecordLog BAD_RECORDS = new BadRecordLog(LOG, Level.ERROR);

    @Override
    public Response handleError(
            ErrorHandlerContext context, Record<?, ?> record, Exception exception) {
        if (failsTheThread(exception)) {
            LOG.error(
                    "processing failed at {}-{} offset {} in {}; failing the stream thread",
                    context.topic(),
                    context.partition(),
                    context.offset(),
                    context.processorNodeId(),
                    exception);
            return Response.fail();
        }
        // One line, rate-limited: a frame that trips a bug every time could otherwise fill the
        // disk with stack traces. The trace is at DEBUG; the dead letter names the exception.
        BAD_RECORDS.log(
                DeadLetterReason.PROCESSING_ERROR,
                String.format(
                        "dead-lettering the record at %s-%d offset %d: processing failed in %s: %s",
                        context.topic(),
                        context.partition(),
                        context.offset(),
                        context.processorNodeId(),
                        exception),
                exception);
        settings.metrics().deadLetter(DeadLetterReason.PROCESSING_ERROR);
        if (settings.dlqTopic() == null) {
            return Response.resume();
        }
        DeadLetter letter =
                DeadLetters.of(
                        context.topic() == null ? settings.config().framesTopic() : context.topic(),
                        context.partition(),
                        context.offset(),
                        // (no record for a punctuation: latest-only's drain of its pending store)
                        record != null
                                        && record.key() instanceof String camera
                                        && !camera.isBlank()
                                        && camera.length() <= settings.config().cameraIdMaxLength()
                                ? camera
                                : null,
                        DeadLetterReason.PROCESSING_ERROR,
                        exception.getClass().getSimpleName() + ": " + exception.getMessage(),
                        context.sourceRawKey(),
                        context.sourceRawValue(),
                        settings.config().dlqOriginalMaxBytes(),
                        System.currentTimeMillis());
        return Response.resume(List.of(DeadLetters.record(settings.dlqTopic(), letter)));
    }

    /**
     * Whether an exception fails the stream thread rather than its record: a Kafka or state-store
     * failure, which is not the record's fault; a serialization failure is.
     */
    static boolean failsTheThread(Exception exception) {
        return exception instanceof KafkaException
                && !(exception instanceof SerializationException);
    }
}
