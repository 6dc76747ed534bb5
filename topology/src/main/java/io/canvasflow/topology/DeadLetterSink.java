package io.canvasflow.topology;

import io.canvasflow.schemas.AvroSerdes;
import io.canvasflow.schemas.avro.DeadLetter;
import io.canvasflow.schemas.avro.DeadLetterReason;
import io.canvasflow.schemas.avro.Frame;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.event.Level;

/**
 * How a processor rejects a frame: log where it came from, count it by reason, and forward a {@link
 * DeadLetter} carrying the re-serialized frame to the dead-letter sink.
 *
 * <p>A frame rejected in a punctuation (latest-only mode's drain) has no source record to name; the
 * latest-only processor therefore parks each pending frame with its source partition and offset in
 * two metadata entries ({@link #withSource}), which name it here and are removed again before the
 * frame is written into the dead letter.
 */
final class DeadLetterSink {

    private static final Logger LOG = LoggerFactory.getLogger(DeadLetterSink.class);

    /** Shared by the processors of every stream thread. */
    private static final BadRecordLog BAD_RECORDS = new BadRecordLog(LOG, Level.WARN);

    /** The metadata entry that keeps a parked frame's source partition. */
    static final String SOURCE_PARTITION = "canvasflow.source.partition";

    /** The metadata entry that keeps a parked frame's source offset. */
    static final String SOURCE_OFFSET = "canvasflow.source.offset";

    private final CanvasFlowConfig config;
    private final CanvasFlowMetrics metrics;

    DeadLetterSink(CanvasFlowConfig config, CanvasFlowMetrics metrics) {
        this.config = config;
        this.metrics = metrics;
    }

    void send(
            ProcessorContext<String, SpecificRecord> context,
            Record<String, Frame> record,
            DeadLetterReason reason,
            String message) {
        // In a punctuation there is no source record (the topic is null, the offset -1): a parked
        // frame names its own, else they stay unknown.
        RecordMetadata source = sourceOf(context.recordMetadata());
        Frame frame = record.value();
        Map<String, String> parked =
                source != null || frame == null || frame.getMetadata() == null
                        ? Map.of()
                        : frame.getMetadata();
        String topic = source == null ? config.framesTopic() : source.topic();
        int partition =
                source != null
                        ? source.partition()
                        : Integer.parseInt(parked.getOrDefault(SOURCE_PARTITION, "-1"));
        long offset =
                source != null
                        ? source.offset()
                        : Long.parseLong(parked.getOrDefault(SOURCE_OFFSET, "-1"));
        if (parked.containsKey(SOURCE_PARTITION) || parked.containsKey(SOURCE_OFFSET)) {
            frame = withoutSource(frame);
        }
        BAD_RECORDS.log(
                reason,
                String.format(
                        "dead-lettering the frame at %s-%d offset %d (%s): %s",
                        topic, partition, offset, reason, message),
                null);
        metrics.deadLetter(reason);
        String camera = cameraId(record);
        DeadLetter letter =
                DeadLetters.of(
                        topic,
                        partition,
                        offset,
                        camera,
                        reason,
                        message,
                        record.key() == null ? null : record.key().getBytes(StandardCharsets.UTF_8),
                        frame == null ? null : AvroSerdes.frame().serialize(frame),
                        config.dlqOriginalMaxBytes(),
                        context.currentSystemTimeMs());
        context.forward(
                new Record<>(camera, letter, record.timestamp()), CanvasFlowTopology.DLQ_SINK);
    }

    /**
     * The frame with the partition and offset it was read from in its metadata, for a frame that
     * waits to be processed outside of its source record.
     *
     * @param frame the frame
     * @param metadata the source record's position; without one the frame is returned as it is
     * @return the frame with its position, or the frame itself
     */
    static Frame withSource(Frame frame, Optional<RecordMetadata> metadata) {
        RecordMetadata source = sourceOf(metadata);
        if (source == null) {
            return frame;
        }
        Map<String, String> entries = new LinkedHashMap<>(frame.getMetadata());
        entries.put(SOURCE_PARTITION, Integer.toString(source.partition()));
        entries.put(SOURCE_OFFSET, Long.toString(source.offset()));
        return Frame.newBuilder(frame).setMetadata(entries).build();
    }

    /** The source record's position, or null in a punctuation, which has no source record. */
    private static RecordMetadata sourceOf(Optional<RecordMetadata> metadata) {
        return metadata.filter(m -> m.topic() != null && m.offset() >= 0).orElse(null);
    }

    /** The frame as it arrived: without the entries {@link #withSource} added. */
    private static Frame withoutSource(Frame frame) {
        Map<String, String> metadata = new LinkedHashMap<>(frame.getMetadata());
        metadata.remove(SOURCE_PARTITION);
        metadata.remove(SOURCE_OFFSET);
        return Frame.newBuilder(frame).setMetadata(metadata).build();
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
