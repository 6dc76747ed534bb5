package io.canvasflow.topology;

import io.canvasflow.schemas.AvroSerdes;
import io.canvasflow.schemas.avro.DeadLetter;
import io.canvasflow.schemas.avro.DeadLetterReason;
import io.canvasflow.schemas.avro.Frame;
import java.nio.charset.StandardCharsets;
import java.util.function.LongSupplier;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.event.Level;

/**
 * How a processor rejects a frame: log where it came from, count it by reason, and forward a {@link
 * DeadLetter} carrying the re-serialized frame to the dead-letter sink.
 *
 * <p>A frame rejected in a punctuation (latest-only mode's drain), or one parked before the record
 * being processed, is not the current record: its caller names where it was read from ({@link
 * ParkedFrame} keeps that with a pending frame). A dead letter is dated by the same wall clock as
 * the mask events, not by Kafka Streams' {@code currentSystemTimeMs()}, which is cached for a whole
 * batch of records (see {@link CanvasSegmenter}).
 */
final class DeadLetterSink {

    private static final Logger LOG = LoggerFactory.getLogger(DeadLetterSink.class);

    /** Shared by the processors of every stream thread. */
    private static final BadRecordLog BAD_RECORDS = new BadRecordLog(LOG, Level.WARN);

    /**
     * Where a frame was read from.
     *
     * @param topic the topic
     * @param partition the partition, or -1 when unknown
     * @param offset the offset, or -1 when unknown
     */
    record Source(String topic, int partition, long offset) {}

    private final CanvasFlowConfig config;
    private final CanvasFlowMetrics metrics;
    private final LongSupplier clock;

    /**
     * Creates the sink of one processor.
     *
     * @param config the settings
     * @param metrics where dead letters are counted
     * @param clock the wall clock in epoch milliseconds that dates the dead letters
     */
    DeadLetterSink(CanvasFlowConfig config, CanvasFlowMetrics metrics, LongSupplier clock) {
        this.config = config;
        this.metrics = metrics;
        this.clock = clock;
    }

    /**
     * The record being processed: where it was read from. In a punctuation there is no such record
     * (the topic is null, the offset -1), and its position is unknown.
     */
    Source current(ProcessorContext<String, SpecificRecord> context) {
        return context.recordMetadata()
                .filter(m -> m.topic() != null && m.offset() >= 0)
                .map(m -> new Source(m.topic(), m.partition(), m.offset()))
                .orElse(new Source(config.framesTopic(), -1, -1));
    }

    /**
     * Where a parked frame was read from: the frames topic, at its own position.
     *
     * @param parked the parked frame's record and position
     * @return its source
     */
    Source of(ParkedFrame.Restored parked) {
        return new Source(config.framesTopic(), parked.partition(), parked.offset());
    }

    /** Dead-letters the record being processed. */
    void send(
            ProcessorContext<String, SpecificRecord> context,
            Record<String, Frame> record,
            DeadLetterReason reason,
            String message) {
        send(context, record, current(context), reason, message);
    }

    /**
     * Dead-letters a frame.
     *
     * @param context the processor's context
     * @param record the frame's record as it arrived
     * @param source where it was read from
     * @param reason why
     * @param message the sentence that says what was wrong
     */
    void send(
            ProcessorContext<String, SpecificRecord> context,
            Record<String, Frame> record,
            Source source,
            DeadLetterReason reason,
            String message) {
        BAD_RECORDS.log(
                reason,
                String.format(
                        "dead-lettering the frame at %s-%d offset %d (%s): %s",
                        source.topic(), source.partition(), source.offset(), reason, message),
                null);
        metrics.deadLetter(reason);
        String camera = cameraId(record);
        Frame frame = record.value();
        DeadLetter letter =
                DeadLetters.of(
                        source.topic(),
                        source.partition(),
                        source.offset(),
                        camera,
                        reason,
                        message,
                        record.key() == null ? null : record.key().getBytes(StandardCharsets.UTF_8),
                        frame == null ? null : AvroSerdes.frame().serialize(frame),
                        config.dlqOriginalMaxBytes(),
                        clock.getAsLong());
        context.forward(
                new Record<>(camera, letter, record.timestamp()), CanvasFlowTopology.DLQ_SINK);
    }

    /** The camera id when it is a valid one: from the frame, else from the key. */
    private String cameraId(Record<String, Frame> record) {
        String fromFrame = record.value() == null ? null : record.value().getCameraId();
        for (String id : new String[] {fromFrame, record.key()}) {
            if (id != null && !id.isBlank() && id.length() <= config.cameraIdMaxLength()) {
                return id;
            }
        }
        return null;
    }
}
