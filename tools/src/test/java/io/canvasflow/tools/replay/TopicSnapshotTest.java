package io.canvasflow.tools.replay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.canvasflow.kafka.EmbeddedKafkaBroker;
import io.canvasflow.schemas.TopicSnapshot;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@link TopicSnapshot} on a real broker: what it takes stays fixed while producers append, read
 * pushed, pulled or by its head. (It lives in {@code schemas}, below the embedded broker, so its
 * broker test lives here beside its first user, replay.)
 */
class TopicSnapshotTest {

    private static final Duration IDLE = Duration.ofSeconds(20);

    /** A broker that creates a topic when a client asks for it, as Kafka does by default. */
    private static EmbeddedKafkaBroker kafka;

    @BeforeAll
    static void startBroker() {
        kafka =
                EmbeddedKafkaBroker.builder()
                        .optConfig("auto.create.topics.enable", "true")
                        .build()
                        .start();
    }

    @AfterAll
    static void stopBroker() {
        kafka.close();
    }

    @Test
    void shouldReadExactlyWhatItTookWhileProducersAppend() throws Exception {
        // Given a topic of three partitions, one of them empty, with 5 and 3 records
        kafka.createTopics(Map.of("snap", 3));
        send("snap", 0, "a", 5);
        send("snap", 1, "b", 3);
        Map<String, Object> config = TopicSnapshot.consumerConfig(kafka.clientConfig());
        TopicSnapshot whole = TopicSnapshot.take(config, "snap", TopicSnapshot.WHOLE);

        // When more records arrive after the snapshot was taken
        send("snap", 0, "late", 4);
        send("snap", 2, "late", 2);

        // Then the push read, the pull reader and the head see the 8 records of that moment
        List<String> pushed = new ArrayList<>();
        long read = whole.read(config, r -> pushed.add(new String(r.value())), IDLE);
        List<String> pulled = new ArrayList<>();
        try (TopicSnapshot.Reader<String, String> reader =
                whole.open(config, new StringDeserializer(), new StringDeserializer())) {
            long deadline = System.nanoTime() + IDLE.toNanos();
            while (!reader.atEnd() && System.nanoTime() < deadline) {
                for (ConsumerRecord<String, String> r : reader.poll(Duration.ofMillis(200))) {
                    pulled.add(r.value());
                }
            }
            assertTrue(reader.atEnd());
        }
        List<String> expected = List.of("a0", "a1", "a2", "a3", "a4", "b0", "b1", "b2");
        assertEquals(3, whole.partitions());
        assertEquals(8, read);
        assertEquals(expected, pushed);
        assertEquals(expected, pulled.stream().sorted().toList());
        // And the head keeps at most that many of each partition, by timestamp
        List<String> head =
                whole.head(config, 2, IDLE).stream().map(r -> new String(r.value())).toList();
        assertEquals(List.of("a0", "a1"), head);
    }

    @Test
    void shouldTakeASnapshotWithoutAWarningFromTheConsumer() throws Exception {
        // Given a topic with records
        kafka.createTopics(Map.of("quiet", 1));
        send("quiet", 0, "q", 3);
        Map<String, Object> config = TopicSnapshot.consumerConfig(kafka.clientConfig());

        // When a snapshot is taken, with standard error (where the log goes) captured
        PrintStream err = System.err;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        TopicSnapshot snapshot;
        try {
            System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
            snapshot = TopicSnapshot.take(config, "quiet", TopicSnapshot.WHOLE);
        } finally {
            System.setErr(err);
        }

        // Then it took the records, and Kafka's consumer logged no WARN: asked for the ends of
        // partitions it was not assigned, it logged one per answer ("Not updating last stable
        // offset ... as it is no longer assigned"), which label, train and evaluate printed
        assertEquals(3, snapshot.read(config, r -> {}, IDLE));
        String log = captured.toString(StandardCharsets.UTF_8);
        assertFalse(log.contains(" WARN "), log);
    }

    @Test
    void shouldNameATopicThatIsNotThereWithoutCreatingIt() throws Exception {
        Map<String, Object> config = TopicSnapshot.consumerConfig(kafka.clientConfig());

        // When a snapshot of a missing topic is asked for
        IllegalArgumentException e =
                assertThrows(
                        IllegalArgumentException.class,
                        () -> TopicSnapshot.take(config, "no-such", TopicSnapshot.WHOLE));

        // Then one sentence names the topic and the cluster, and the topic is still missing
        // (Kafka 4.3's consumer did not create it here even without TopicSnapshot's
        // allow.auto.create.topics=false, checked by removing it; the setting says the intent)
        assertEquals(
                "the topic no-such does not exist at " + kafka.bootstrapServers(), e.getMessage());
        try (Admin admin = Admin.create(kafka.clientConfig())) {
            assertFalse(admin.listTopics().names().get().contains("no-such"));
        }
    }

    private static void send(String topic, int partition, String prefix, int count)
            throws Exception {
        Map<String, Object> config = new HashMap<>(kafka.clientConfig());
        try (KafkaProducer<String, String> producer =
                new KafkaProducer<>(config, new StringSerializer(), new StringSerializer())) {
            for (int i = 0; i < count; i++) {
                producer.send(new ProducerRecord<>(topic, partition, null, prefix + i)).get();
            }
        }
    }
}
