package io.canvasflow.clients;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.canvasflow.kafka.EmbeddedKafkaBroker;
import io.canvasflow.schemas.Topic;
import io.canvasflow.schemas.Topics;
import io.canvasflow.schemas.avro.Frame;
import io.canvasflow.testsupport.TopicReader;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;

/** A live camera's publishing through a Kafka outage: its frames are dropped, and it goes on. */
class KafkaOutageTest {

    @Test
    void shouldDropALiveCamerasFramesWhileKafkaIsAwayAndGoOnWhenItIsBack() throws Exception {
        try (EmbeddedKafkaBroker kafka = EmbeddedKafkaBroker.builder().build().start()) {
            // Given a live camera sending 20 frames a second, published with short timeouts
            kafka.createTopics(Map.of("frames-outage", 1));
            Topic<String, Frame> topic = Topics.FRAMES.withName("frames-outage");
            FrameSource camera = new LiveTestCamera(50, 0, false);
            AtomicReference<PublishResult> result = new AtomicReference<>();
            try (FramePublisher publisher =
                    FramePublisher.builder()
                            .setBootstrapServers(kafka.bootstrapServers())
                            .optTopic(topic)
                            .optProducerProperties(
                                    Map.of(
                                            "delivery.timeout.ms", "3000",
                                            "request.timeout.ms", "1000",
                                            "linger.ms", "5",
                                            "max.block.ms", "2000",
                                            // a small buffer, full during the outage: each
                                            // send then blocks, as a camera's frames would make
                                            // it in a longer one
                                            "batch.size", "16384",
                                            "buffer.memory", "32768"))
                            .build()) {
                PublishJob job =
                        PublishJob.builder()
                                .setPublisher(publisher)
                                .addCamera("door", camera)
                                .optRate(FrameRate.realtime())
                                .build();
                Thread running =
                        new Thread(
                                () -> {
                                    try {
                                        result.set(job.run());
                                    } catch (InterruptedException e) {
                                        Thread.currentThread().interrupt();
                                    }
                                });
                running.start();
                awaitTrue(() -> job.acknowledged().get("door") >= 20, "20 frames before");

                // When the broker is away for 8 s, and comes back
                kafka.stop();
                Thread.sleep(8_000);
                long before = job.acknowledged().get("door");
                kafka.start();
                awaitTrue(() -> job.acknowledged().get("door") >= before + 20, "20 frames after");
                job.stop();
                running.join(30_000);
                assertTrue(!running.isAlive(), "the job stopped within 30 s");
            }

            // Then the camera went on: no error, some frames dropped, the rest in the topic
            PublishResult.CameraResult door = result.get().cameras().get("door");
            assertNull(door.error());
            assertTrue(door.failed() > 0, "frames were dropped while Kafka was away");
            assertTrue(door.frames() >= 40, door.frames() + " frames");
            assertTrue(
                    door.skipped() > 0,
                    "what the camera sent while a send blocked was skipped for newer, not queued");
            assertTrue(
                    result.get().summary().contains(door.skipped() + " skipped for newer"),
                    result.get().summary());
            assertEquals(
                    door.frames(),
                    TopicReader.readFromBeginning(
                                    kafka.bootstrapServers(),
                                    topic,
                                    (int) door.frames(),
                                    Duration.ofSeconds(30))
                            .size());
        }
    }

    @Test
    void shouldGiveKafka15SecondsForALiveCamerasFrameUnlessTold() {
        // the producer's own default is 2 minutes, and it refuses a delivery timeout shorter than
        // its request timeout (30 s) plus linger
        assertEquals(
                Map.of(
                        "delivery.timeout.ms", "15000",
                        "request.timeout.ms", "10000",
                        "max.block.ms", "5000",
                        "acks", "1"),
                PublishCommand.forLiveCameras(Map.of("acks", "1")));
        // a delivery timeout given is the user's decision
        assertEquals(
                Map.of("delivery.timeout.ms", "60000"),
                PublishCommand.forLiveCameras(Map.of("delivery.timeout.ms", "60000")));
        // and one given linger and request timeout that add up to more still fit
        assertEquals(
                "50000",
                PublishCommand.forLiveCameras(
                                Map.of("request.timeout.ms", "30000", "linger.ms", "20000"))
                        .get("delivery.timeout.ms"));
    }

    private static void awaitTrue(BooleanSupplier condition, String what) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not within 60 s: " + what);
            }
            Thread.sleep(50);
        }
    }
}
