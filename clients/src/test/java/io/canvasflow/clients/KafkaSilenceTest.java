package io.canvasflow.clients;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.Test;

class KafkaSilenceTest {

    @Test
    void shouldSayOnceAMinuteThatKafkaIsSilentAndOnceThatItAnswersAgain() {
        // Given a follower whose Kafka answers, then says nothing for 75 s, then answers
        List<String> lines = new ArrayList<>();
        KafkaSilence silence =
                new KafkaSilence(
                        "127.0.0.1:9092", w -> lines.add("WARN " + w), i -> lines.add("INFO " + i));
        silence.observe(1, 0);
        silence.observe(5, 1_000);

        // When it is looked at every 200 ms through the silence and once after
        for (long t = 1_200; t <= 76_000; t += 200) {
            silence.observe(5, t);
        }
        silence.observe(6, 76_200);

        // Then the silence is said after 10 s, again a minute later, and its end once
        assertEquals(
                List.of(
                        "WARN Kafka at 127.0.0.1:9092 has not answered for 10 s; still trying"
                                + " (what is shown is from before)",
                        "WARN Kafka at 127.0.0.1:9092 has not answered for 70 s; still trying"
                                + " (what is shown is from before)",
                        "INFO Kafka at 127.0.0.1:9092 answers again after 75 s"),
                lines);
    }

    @Test
    void shouldReadTheConsumersCountOfResponses() {
        // Given a consumer of an address where no broker listens
        Map<String, Object> config =
                Map.of(
                        ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, "127.0.0.1:1",
                        ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG,
                                ByteArrayDeserializer.class.getName(),
                        ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG,
                                ByteArrayDeserializer.class.getName());
        List<String> lines = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> kafka = new KafkaConsumer<>(config)) {
            KafkaSilence silence = new KafkaSilence("127.0.0.1:1", lines::add, lines::add);

            // When it is looked at, then again 10 s later, with no response between
            silence.observe(kafka, 0);
            silence.observe(kafka, 10_000);
        }

        // Then the silence is said
        assertEquals(
                List.of(
                        "Kafka at 127.0.0.1:1 has not answered for 10 s; still trying (what is"
                                + " shown is from before)"),
                lines);
    }

    @Test
    void shouldKeepKafkasConnectionWarningsAtErrorUnlessTheUserChose() {
        // Given no level chosen for Kafka's NetworkClient
        String key = "org.slf4j.simpleLogger.log." + KafkaSilence.NETWORK_CLIENT;
        String before = System.getProperty(key);
        System.clearProperty(key);
        try {
            // When masks or view start
            KafkaSilence.quietNetworkClient();

            // Then its per-connection WARNs are off, as in serve
            assertEquals("error", System.getProperty(key));
        } finally {
            if (before == null) {
                System.clearProperty(key);
            } else {
                System.setProperty(key, before);
            }
        }
    }
}
