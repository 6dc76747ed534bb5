package io.canvasflow.kafka;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.canvasflow.schemas.avro.Frame;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EmbeddedKafkaBrokerTest {

    @Test
    void shouldRoundTripFramesThroughTwoPartitionTopic() throws Exception {
        List<Frame> sent = FrameRoundTrip.frames(3);
        Path dataDir;
        try (EmbeddedKafkaBroker kafka = EmbeddedKafkaBroker.builder().build().start()) {
            dataDir = kafka.dataDir();
            kafka.createTopics(Map.of(FrameRoundTrip.FRAMES.name(), 2));

            FrameRoundTrip.produce(kafka.bootstrapServers(), sent, 2);
            List<ConsumerRecord<String, Frame>> read =
                    FrameRoundTrip.consume(kafka.bootstrapServers(), sent.size());

            assertEquals(sent, FrameRoundTrip.sortedFrames(read));
            assertEquals(
                    Set.of(0, 1),
                    read.stream().map(ConsumerRecord::partition).collect(Collectors.toSet()));
            read.forEach(r -> assertEquals(r.value().getCameraId(), r.key()));
            try (Admin admin = Admin.create(kafka.clientConfig())) {
                assertEquals(
                        2,
                        admin.describeTopics(List.of(FrameRoundTrip.FRAMES.name()))
                                .allTopicNames()
                                .get()
                                .get(FrameRoundTrip.FRAMES.name())
                                .partitions()
                                .size());
            }
        }
        assertFalse(Files.exists(dataDir), "temporary data directory deleted on close");
    }

    @Test
    void shouldKeepRecordsWhenRestartedOnSamePorts() throws Exception {
        List<Frame> before = FrameRoundTrip.frames(1);
        List<Frame> after = List.of(FrameRoundTrip.frame("cam-c", 9));
        try (EmbeddedKafkaBroker kafka = EmbeddedKafkaBroker.builder().build().start()) {
            String address = kafka.bootstrapServers();
            kafka.createTopics(Map.of(FrameRoundTrip.FRAMES.name(), 1));
            FrameRoundTrip.produce(address, before, 1);

            kafka.stop();
            assertFalse(kafka.isRunning());
            kafka.start();
            FrameRoundTrip.produce(address, after, 1);

            assertEquals(address, kafka.bootstrapServers());
            List<Frame> read = FrameRoundTrip.sortedFrames(FrameRoundTrip.consume(address, 3));
            assertEquals(List.of(before.get(0), before.get(1), after.get(0)), read);
        }
    }

    @Test
    void shouldReuseGivenDataDirectoryInANewBroker(@TempDir Path dir) throws Exception {
        List<Frame> sent = FrameRoundTrip.frames(1);
        int brokerPort;
        int controllerPort;
        try (EmbeddedKafkaBroker first =
                EmbeddedKafkaBroker.builder().optDataDir(dir).build().start()) {
            brokerPort = first.brokerPort();
            controllerPort = first.controllerPort();
            first.createTopics(Map.of(FrameRoundTrip.FRAMES.name(), 1));
            FrameRoundTrip.produce(first.bootstrapServers(), sent, 1);
        }
        assertTrue(Files.exists(dir.resolve("meta.properties")), "given data directory kept");

        try (EmbeddedKafkaBroker second =
                EmbeddedKafkaBroker.builder()
                        .optDataDir(dir)
                        .optPorts(brokerPort, controllerPort)
                        .build()
                        .start()) {
            List<Frame> read =
                    FrameRoundTrip.sortedFrames(
                            FrameRoundTrip.consume(second.bootstrapServers(), sent.size()));

            assertEquals(sent, read);
        }
    }

    @Test
    void shouldRefuseASecondBrokerOnTheSameDataDirectoryBeforeWritingThere(@TempDir Path dir)
            throws Exception {
        try (EmbeddedKafkaBroker first =
                EmbeddedKafkaBroker.builder().optDataDir(dir).build().start()) {
            byte[] properties = Files.readAllBytes(dir.resolve("server.properties"));
            // When a second broker is started on the first one's folder
            EmbeddedKafkaBroker second = EmbeddedKafkaBroker.builder().optDataDir(dir).build();
            DataDirRefusedException refused =
                    assertThrows(DataDirRefusedException.class, second::start);
            second.close();
            // Then it is refused in one sentence, having written nothing (it overwrote
            // server.properties and wrote to the metadata log, and the first broker broke)
            assertEquals(
                    dir + " is in use by another broker; stop it, or give another folder",
                    refused.getMessage());
            assertArrayEquals(properties, Files.readAllBytes(dir.resolve("server.properties")));
            first.createTopics(Map.of("after-refusal", 1));
        }
    }

    @Test
    void shouldRefuseAFolderOfOtherFilesWithoutWritingInIt(@TempDir Path dir) throws Exception {
        // Given a project folder, as --data-dir . would give
        Files.createDirectories(dir.resolve("src"));
        Files.writeString(dir.resolve("README.md"), "x");
        EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.builder().optDataDir(dir).build();

        DataDirRefusedException refused =
                assertThrows(DataDirRefusedException.class, broker::start);
        broker.close();

        assertTrue(
                refused.getMessage().startsWith(dir + " is not a Kafka broker's data folder"),
                refused.getMessage());
        try (var entries = Files.list(dir)) {
            assertEquals(
                    Set.of("src", "README.md"),
                    entries.map(p -> p.getFileName().toString()).collect(Collectors.toSet()));
        }
    }

    @Test
    void shouldRejectTheSamePortTwice() {
        IllegalArgumentException e =
                assertThrows(
                        IllegalArgumentException.class,
                        () -> EmbeddedKafkaBroker.builder().optPorts(9092, 9092).build());

        assertEquals("expected two different ports but found 9092 twice", e.getMessage());
    }

    @Test
    void shouldRefuseToCreateTopicsBeforeStart() {
        try (EmbeddedKafkaBroker kafka = EmbeddedKafkaBroker.builder().build()) {
            IllegalStateException e =
                    assertThrows(
                            IllegalStateException.class,
                            () -> kafka.createTopics(Map.of(FrameRoundTrip.FRAMES.name(), 1)));

            assertEquals(
                    "cannot create topics: the embedded Kafka broker is not running",
                    e.getMessage());
        }
    }

    @Test
    void shouldSayWhichPortIsTakenWhenItCannotStart() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"));
                EmbeddedKafkaBroker kafka =
                        EmbeddedKafkaBroker.builder().optPorts(taken.getLocalPort(), 0).build()) {

            IllegalStateException e = assertThrows(IllegalStateException.class, kafka::start);

            assertTrue(
                    e.getMessage()
                            .endsWith(
                                    "Socket server failed to bind to 127.0.0.1:"
                                            + taken.getLocalPort()
                                            + ": Address already in use."),
                    e.getMessage());
            assertFalse(kafka.isRunning());
        }
    }
}
