package io.canvasflow.topology;

import io.canvasflow.schemas.AvroSerdes;
import io.canvasflow.schemas.avro.DeadLetter;
import io.canvasflow.schemas.avro.DeadLetterReason;
import io.canvasflow.schemas.avro.Frame;
import java.nio.charset.StandardCharsets;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How a processor rejects a frame: log where it came from, count it by reason, and forward a {@link
 * DeadLetter} carrying the re-serialized frame to the dead-letter sink.
 */
final class DeadLetterSink {

    private static final Logger LOG = LoggerFactory.getLogger(DeadLetterSink.class);

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
        // In a punctuation there is no source record: the topic is null and the offset -1.
        RecordMetadata source = context.recordMetadata().orElse(null);
        String topic =
                source == null || source.topic() == null ? config.framesTopic() : source.topic();
        int partition = source == null ? -1 : source.partition();
        long offset = source == null ? -1 : source.offset();
        LOG.warn(
                "dead-lettering the frame at {}-{} offset {} ({}): {}",
                topic,
                partition,
                offset,
                reason,
                message);
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
                        record.value() == null
                                ? null
                                : AvroSerdes.frame().serialize(record.value()),
                        config.frameMaxBytes(),
                        context.currentSystemTimeMs());
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
