package io.canvasflow.topology;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.canvasflow.kafka.EmbeddedKafkaBroker;
import io.canvasflow.schemas.AvroSerdes;
import io.canvasflow.schemas.Topics;
import io.canvasflow.schemas.avro.DeadLetter;
import io.canvasflow.schemas.avro.DeadLetterReason;
import io.canvasflow.schemas.avro.Frame;
import io.canvasflow.schemas.avro.MaskEvent;
import io.canvasflow.schemas.avro.ResetReason;
import io.canvasflow.testsupport.CanvasFlowTopics;
import io.canvasflow.testsupport.TopicReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.stream.LongStream;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.ThreadMetadata;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two instances of the application (same application id, separate state directories) against a real
 * single-node Kafka broker, under exactly-once: three cameras of fifteen 64x48 JPEG frames and one
 * record that is not a frame.
 */
@Timeout(value = 4, unit = TimeUnit.MINUTES)
class EndToEndTest {

    /** Keys that hash to three different partitions of four, so both instances get cameras. */
    private static final List<String> CAMERAS = List.of("cam-a", "cam-b", "cam-c");

    private static final int FRAMES = 15;
    private static final Duration DEADLINE = Duration.ofMinutes(2);

    @TempDir Path dir;

    @Test
    void shouldEmitExactlyOneMaskPerFrameInOrderPerCameraAcrossTwoInstances() throws Exception {
        try (EmbeddedKafkaBroker kafka = EmbeddedKafkaBroker.builder().build().start()) {
            // Given the topics, frames with four partitions, and two running instances
            kafka.createTopics(CanvasFlowTopics.withPartitions(4));
            CanvasFlowConfig config =
                    CanvasFlowConfig.fromMap(
                            Map.of(
                                    CanvasFlowConfig.BOOTSTRAP_SERVERS, kafka.bootstrapServers(),
                                    CanvasFlowConfig.APPLICATION_ID, "canvasflow-e2e",
                                    CanvasFlowConfig.HTTP_PORT, "0"));
            try (CanvasFlowApp one =
                            CanvasFlowApp.start(
                                    config.with(
                                            CanvasFlowConfig.STATE_DIR,
                                            dir.resolve("one").toString()),
                                    TestModel.source());
                    CanvasFlowApp two =
                            CanvasFlowApp.start(
                                    config.with(
                                            CanvasFlowConfig.STATE_DIR,
                                            dir.resolve("two").toString()),
                                    TestModel.source())) {
                await(
                        "both instances run active tasks",
                        () -> hasActiveTasks(one) && hasActiveTasks(two));

                // When the cameras publish, interleaved, with a record that is not a frame
                // between their fifth and sixth frames
                produce(kafka);

                // Then every frame yields exactly one mask, in order per camera, and the bad
                // record one dead letter
                List<MaskEvent> masks =
                        consume(
                                kafka,
                                Topics.MASKS.name(),
                                AvroSerdes.maskEvent().deserializer(),
                                CAMERAS.size() * FRAMES);
                List<DeadLetter> letters =
                        consume(
                                kafka,
                                Topics.FRAMES_DLQ.name(),
                                AvroSerdes.deadLetter().deserializer(),
                                1);
                Map<String, List<Long>> sequences = new TreeMap<>();
                Map<String, ResetReason> firstReason = new TreeMap<>();
                for (MaskEvent mask : masks) {
                    sequences
                            .computeIfAbsent(mask.getCameraId(), c -> new ArrayList<>())
                            .add(mask.getSequence());
                    firstReason.putIfAbsent(mask.getCameraId(), mask.getResetReason());
                }
                List<Long> all = LongStream.rangeClosed(1, FRAMES).boxed().toList();
                assertEquals(Map.of("cam-a", all, "cam-b", all, "cam-c", all), sequences);
                assertEquals(
                        Map.of(
                                "cam-a",
                                ResetReason.FIRST_FRAME,
                                "cam-b",
                                ResetReason.FIRST_FRAME,
                                "cam-c",
                                ResetReason.FIRST_FRAME),
                        firstReason);
                assertEquals(
                        List.of("cam-a", DeadLetterReason.NOT_A_FRAME),
                        List.of(letters.get(0).getCameraId(), letters.get(0).getReason()));

                // And both instances report healthy, and their metrics add up to every frame
                assertEquals(
                        List.of(200, 200),
                        List.of(
                                get(one, "/health").statusCode(),
                                get(two, "/health").statusCode()));
                String metrics = get(one, "/metrics").body() + get(two, "/metrics").body();
                assertTrue(
                        metrics.contains("canvasflow_frames_processed_total"),
                        "metrics name the processed frames");
                assertTrue(metrics.contains("kafka_stream"), "Kafka Streams metrics are bound");
                assertEquals(CAMERAS.size() * FRAMES, processed(one) + processed(two));
                assertTrue(
                        processed(one) > 0 && processed(two) > 0,
                        "both instances segmented frames");
            }
        }
    }

    private static double processed(CanvasFlowApp app) {
        return app.metrics().registry().get("canvasflow.frames.processed").counter().count();
    }

    private static boolean hasActiveTasks(CanvasFlowApp app) {
        if (app.streams().state() != KafkaStreams.State.RUNNING) {
            return false;
        }
        return app.streams().metadataForLocalThreads().stream()
                .map(ThreadMetadata::activeTasks)
                .anyMatch(tasks -> !tasks.isEmpty());
    }

    private static void produce(EmbeddedKafkaBroker kafka) {
        Map<String, Object> props = kafka.clientConfig();
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        try (KafkaProducer<String, byte[]> producer =
                new KafkaProducer<>(props, new StringSerializer(), new ByteArraySerializer())) {
            for (long seq = 1; seq <= FRAMES; seq++) {
                for (String camera : CAMERAS) {
                    Frame frame = TestFrames.jpeg(camera, seq, 64, 48);
                    producer.send(
                            new ProducerRecord<>(
                                    Topics.FRAMES.name(),
                                    null,
                                    frame.getCaptureTimestamp().toEpochMilli(),
                                    frame.getCameraId(),
                                    AvroSerdes.frame().serialize(frame)));
                }
                if (seq == 5) {
                    producer.send(
                            new ProducerRecord<>(
                                    Topics.FRAMES.name(),
                                    "cam-a",
                                    new byte[] {(byte) 0xC3, 1, 2, 3}));
                }
            }
            producer.flush();
        }
    }

    private static <V> List<V> consume(
            EmbeddedKafkaBroker kafka, String topic, Deserializer<V> values, int expected) {
        List<V> out =
                TopicReader.readFromBeginning(
                                kafka.bootstrapServers(),
                                topic,
                                new StringDeserializer(),
                                values,
                                expected,
                                DEADLINE)
                        .stream()
                        .map(ConsumerRecord::value)
                        .toList();
        assertEquals(expected, out.size(), "records on " + topic);
        return out;
    }

    private static HttpResponse<String> get(CanvasFlowApp app, String path) throws Exception {
        HttpRequest request =
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + app.httpPort() + path))
                        .build();
        return HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofString());
    }

    private static void await(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + DEADLINE.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting until " + what);
            }
            Thread.sleep(100);
        }
    }
}
