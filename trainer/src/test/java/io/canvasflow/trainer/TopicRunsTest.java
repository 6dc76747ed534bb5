package io.canvasflow.trainer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.canvasflow.clients.ImageCodecs;
import io.canvasflow.kafka.BrokerExtension;
import io.canvasflow.schemas.LabelMetadata;
import io.canvasflow.schemas.Topic;
import io.canvasflow.schemas.Topics;
import io.canvasflow.schemas.avro.Frame;
import io.canvasflow.schemas.avro.ImageEncoding;
import io.canvasflow.trainer.data.DatasetException;
import io.canvasflow.trainer.data.LabelledData;
import io.canvasflow.trainer.data.SequenceRange;
import io.canvasflow.trainer.data.TopicLabelledData;
import java.awt.image.BufferedImage;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A camera's {@code label} runs in a labelled-frames topic, as {@code train} records them and
 * {@code evaluate} checks them: known by their capture times, not their place among the runs read.
 */
class TopicRunsTest {

    @RegisterExtension static final BrokerExtension kafka = new BrokerExtension();

    /** When each run's frame 0 was captured; its frame n is n seconds later. */
    private static final Instant RUN_1 = Instant.parse("2024-05-01T10:00:00Z");

    private static final Instant RUN_2 = Instant.parse("2024-05-02T10:00:00Z");
    private static final Instant RUN_3 = Instant.parse("2024-05-05T10:00:00Z");

    @Test
    void shouldCountOnlyTheRunTrainReadWhenRetentionDeletedTheRunBeforeIt() {
        // Given a model trained on camera dock's runs 1 and 2 (frames 0-9 each) of a topic
        kafka.createTopics(Map.of("runs-then", 1, "runs-now", 1));
        write("runs-then", 0, RUN_1);
        write("runs-then", 0, RUN_2);
        LabelledData trainedOn = read("runs-then", Map.of());
        Map<String, Object> lineage = new LinkedHashMap<>(trainedOn.lineage());
        lineage.put("source", "topic:runs-now");
        // And the topic as it is days later: retention deleted run 1, and run 3 was labelled
        write("runs-now", 0, RUN_2);
        write("runs-now", 0, RUN_3);

        // When evaluate reads it
        LabelledData scored = read("runs-now", Map.of());

        // Then only run 2's frames are the model's training frames (run 2 was read as run 1
        // and run 3 as run 2, both counted as trained on: "its fit")
        assertEquals(
                "the model was trained on 10 of these 20 frames (its model.json records"
                        + " topic:runs-now, camera dock, frames 0-9 and no held-out range), so this"
                        + " is partly its fit, not a held-out score",
                TrainedFrames.note(lineage, scored));
        // And run 2 keeps its id in both reads, named after its first capture time, and the
        // lineage records each run read by its capture times
        assertEquals(List.of("dock:0@" + RUN_1, "dock:0@" + RUN_2), ids(trainedOn));
        assertEquals(List.of("dock:0@" + RUN_2, "dock:0@" + RUN_3), ids(scored));
        assertEquals(
                Map.of("dock", List.of(span(RUN_1), span(RUN_2))),
                lineage.get(TopicLabelledData.CAMERA_RUNS));
    }

    @Test
    void shouldCutACamerasRunsOnTwoPartitionsInCaptureOrder() {
        // Given camera dock's run 1 on partition 0 and its run 2 on partition 1 (partitions added
        // between the two label runs moved the camera's key)
        kafka.createTopics(Map.of("runs-split", 2));
        write("runs-split", 0, RUN_1);
        write("runs-split", 1, RUN_2);

        // When the topic is read a record of each partition at a time, as fetches interleave them
        LabelledData read = read("runs-split", Map.of("max.partition.fetch.bytes", "1"));

        // Then each run is one sequence of its 10 frames (one run's numbers ran on into the
        // other's: the read met 0, 0, 1, 1, ... and cut a run at every repeat)
        assertEquals(
                List.of("dock:0@" + RUN_1 + " x10", "dock:0@" + RUN_2 + " x10"),
                read.sequences().stream().map(s -> s.id() + " x" + s.size()).toList());
    }

    @Test
    void shouldKeepTwoRunsOfTheSameFootageApartUnderIdsOfTheirOwn() {
        // Given the same footage labelled twice into one topic: two runs of the same capture times
        kafka.createTopics(Map.of("runs-twice", 1));
        write("runs-twice", 0, RUN_1);
        write("runs-twice", 0, RUN_1);

        // When it is read
        LabelledData read = read("runs-twice", Map.of());

        // Then both runs keep their 10 frames, the second named with a count after the time
        assertEquals(
                List.of("dock:0@" + RUN_1 + " x10", "dock:0@" + RUN_1 + "#2 x10"),
                read.sequences().stream().map(s -> s.id() + " x" + s.size()).toList());
        assertEquals(
                List.of("dock", "dock"),
                read.sequences().stream()
                        .map(s -> TopicLabelledData.numbered(s).camera())
                        .toList());
    }

    @Test
    void shouldKnowTheFootageItTrainedOnLabelledUnderAnotherCameraId() {
        // Given a model trained on camera dock's frames 0-7 of footage dock.avi (8-9 held out)
        kafka.createTopics(Map.of("runs-renamed", 1));
        write("runs-renamed", 0, RUN_1, "dock", "/videos/dock.avi");
        LabelledData trainedOn = read("runs-renamed", "dock", SequenceRange.ALL, range(8, 9));
        Map<String, Object> lineage = new LinkedHashMap<>(trainedOn.lineage());
        lineage.put("heldOut", "8-9");
        // And the same footage labelled since under another camera id, and a stream's frames
        write("runs-renamed", 0, RUN_3, "dock-b", "/videos/dock.avi");
        write("runs-renamed", 0, RUN_3, "dock-live", "rtsp://nvr/dock");

        // When evaluate reads the other camera id's frames
        LabelledData scored = read("runs-renamed", "dock-b", SequenceRange.ALL, null);

        // Then the lineage records the footage of the frames read, and its frames 0-7 are the
        // model's training frames: the same pixels, whatever camera id they were labelled under
        assertEquals(
                Map.of("dock", Map.of("/videos/dock.avi", "0-7")),
                lineage.get(TopicLabelledData.CAMERA_FOOTAGE));
        assertEquals(
                "the model was trained on 8 of these 10 frames (its model.json records"
                        + " topic:runs-renamed, camera dock, frames 0-7, footage /videos/dock.avi"
                        + " frames 0-7 of camera dock, held out 8-9), so this is partly its fit,"
                        + " not a held-out score",
                TrainedFrames.note(lineage, scored));
        // And a stream's frame numbers, which start again with other frames, are not
        assertNull(
                TrainedFrames.note(
                        lineage, read("runs-renamed", "dock-live", SequenceRange.ALL, null)));
        // nor does a model whose lineage records no footage (older model.json files) say so
        lineage.remove(TopicLabelledData.CAMERA_FOOTAGE);
        assertNull(TrainedFrames.note(lineage, scored));
    }

    @Test
    void shouldRefuseAHeldOutRangeThatHoldsNoLabelledFrameSayingWhichItHas() {
        // Given camera dock's frames 0-9
        kafka.createTopics(Map.of("runs-held", 1));
        write("runs-held", 0, RUN_1);
        // When train reads frames 0-9 and holds out 500-600, which hold none of them
        DatasetException e =
                assertThrows(
                        DatasetException.class,
                        () -> read("runs-held", "dock", range(0, 9), range(500, 600)));
        // Then one sentence says so, with the frames the camera has
        assertEquals(
                "Topic runs-held has no labelled frames of camera dock in the held-out range"
                        + " 500-600 (its labelled frames are numbered 0-9), so nothing would be"
                        + " held out for evaluate; hold out frames it has, or none",
                e.getMessage());
    }

    @Test
    void shouldSayWhichFramesACameraHasWhenARangeHoldsNone() {
        // Given camera dock's frames 0-9
        kafka.createTopics(Map.of("runs-range", 1));
        write("runs-range", 0, RUN_1);
        // When frames 900-999 are asked for
        DatasetException e =
                assertThrows(
                        DatasetException.class,
                        () -> read("runs-range", "dock", range(900, 999), null));
        // Then the sentence names the frames there are
        assertEquals(
                "Topic runs-range has no labelled frames of camera dock in frames 900-999 (its"
                        + " labelled frames are numbered 0-9; cameras in it: [dock])",
                e.getMessage());
    }

    private static SequenceRange range(long from, long to) {
        return new SequenceRange(from, to);
    }

    /** Writes a run of camera dock, frames 0-9, one second apart, each in a batch of its own. */
    private static void write(String topic, int partition, Instant start) {
        write(topic, partition, start, "dock", null);
    }

    /**
     * Writes a run of {@code camera}, frames 0-9 of footage {@code source} (null: none recorded),
     * one second apart, each in a batch of its own.
     */
    private static void write(
            String topic, int partition, Instant start, String camera, String source) {
        Topic<String, Frame> t = Topics.FRAMES_LABELLED.withName(topic);
        Map<String, Object> config = new HashMap<>(kafka.clientConfig());
        config.put("linger.ms", 0);
        try (KafkaProducer<String, Frame> producer =
                new KafkaProducer<>(
                        config, t.keySerde().serializer(), t.valueSerde().serializer())) {
            for (int n = 0; n < 10; n++) {
                Frame frame = frame(camera, n, start.plusSeconds(n), source);
                producer.send(new ProducerRecord<>(topic, partition, camera, frame));
                producer.flush();
            }
        }
    }

    private static Frame frame(String camera, long number, Instant capture, String source) {
        BufferedImage image = new BufferedImage(8, 8, BufferedImage.TYPE_3BYTE_BGR);
        byte[] labels = new byte[64];
        labels[0] = 1;
        return Frame.newBuilder()
                .setCameraId(camera)
                .setSequence(number)
                .setCaptureTimestamp(capture)
                .setWidth(8)
                .setHeight(8)
                .setEncoding(ImageEncoding.JPEG)
                .setImage(ByteBuffer.wrap(ImageCodecs.jpeg(image, 0.9f)))
                .setGroundTruth(ByteBuffer.wrap(ImageCodecs.grayLabelPng(labels, 8, 8)))
                .setMetadata(metadata(source))
                .build();
    }

    private static Map<String, String> metadata(String source) {
        Map<String, String> m = new HashMap<>();
        m.put(LabelMetadata.CLASSES, LabelMetadata.joinClasses(List.of("background", "person")));
        if (source != null) {
            m.put(LabelMetadata.SOURCE, source);
        }
        return m;
    }

    private static LabelledData read(String topic, Map<String, String> consumer) {
        return read(topic, consumer, "dock", SequenceRange.ALL, null);
    }

    private static LabelledData read(
            String topic, String camera, SequenceRange range, SequenceRange exclude) {
        return read(topic, Map.of(), camera, range, exclude);
    }

    private static LabelledData read(
            String topic,
            Map<String, String> consumer,
            String camera,
            SequenceRange range,
            SequenceRange exclude) {
        Map<String, String> config = new HashMap<>(consumer);
        config.put("bootstrap.servers", kafka.bootstrapServers());
        return TopicLabelledData.read(
                new TopicLabelledData.Request(
                        config,
                        Topics.FRAMES_LABELLED.withName(topic),
                        camera,
                        range,
                        exclude,
                        0,
                        0,
                        TopicLabelledData.IDLE_LIMIT));
    }

    private static List<String> ids(LabelledData data) {
        return data.sequences().stream().map(s -> s.id()).toList();
    }

    /** A run's frames 0-9, as the lineage records it. */
    private static String span(Instant start) {
        return start + "/" + start.plusSeconds(9);
    }
}
