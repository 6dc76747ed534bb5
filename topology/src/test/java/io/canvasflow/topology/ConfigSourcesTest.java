package io.canvasflow.topology;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigSourcesTest {

    @TempDir Path dir;

    @Test
    void shouldRefuseAMisspeltTopicSettingFromEverySource() throws Exception {
        // Given topic.frame (for topic.frames) in a file, a variable and a -D
        Path file = Files.writeString(dir.resolve("serve.properties"), "topic.frame=cams\n");
        Map<String, Supplier<CanvasFlowConfig.Builder>> sources = new LinkedHashMap<>();
        sources.put("file", () -> CanvasFlowConfig.builder().optFile(file));
        sources.put(
                "variable",
                () ->
                        CanvasFlowConfig.builder()
                                .optEnvironment(Map.of("CANVASFLOW_KAFKA_TOPIC_FRAME", "cams")));
        sources.put("-D", () -> CanvasFlowConfig.builder().opt("topic.frame", "cams"));

        // When each is built
        Map<String, String> said = new LinkedHashMap<>();
        sources.forEach(
                (source, builder) ->
                        said.put(
                                source,
                                assertThrows(
                                                IllegalArgumentException.class,
                                                () -> builder.get().build())
                                        .getMessage()));

        // Then each refuses it, naming where it came from (the file's was a Kafka property), and
        // what to give there instead: the variable's is the variable to set
        String why =
                " it is not a CanvasFlow setting, and frame is not a Kafka topic config"
                        + " (topic.NAME sets NAME on the topics Kafka Streams creates); did you"
                        + " mean ";
        assertEquals(
                Map.of(
                        "file",
                        "unknown key in " + file + " 'topic.frame':" + why + "topic.frames?",
                        "variable",
                        "unknown environment variable CANVASFLOW_KAFKA_TOPIC_FRAME"
                                + " 'kafka.topic.frame':"
                                + why
                                + "CANVASFLOW_TOPIC_FRAMES?",
                        "-D",
                        "unknown setting 'topic.frame':" + why + "topic.frames?"),
                said);
    }

    @Test
    void shouldSuggestTheVariableToSetForAMisspeltKafkaPropertyVariable() {
        // Given a variable for consumer.max.poll.records that lacks its last letter
        Map<String, String> environment = Map.of("CANVASFLOW_KAFKA_CONSUMER_MAX_POLL_RECORD", "5");

        // When a configuration is built with it
        String said = EnvironmentRefusals.refusal(environment);

        // Then the refusal names the variable that sets the property meant
        assertEquals(
                "unknown environment variable CANVASFLOW_KAFKA_CONSUMER_MAX_POLL_RECORD"
                        + " 'kafka.consumer.max.poll.record': Kafka's consumer has no property"
                        + " max.poll.record; did you mean CANVASFLOW_KAFKA_CONSUMER_MAX_POLL_RECORDS?",
                said);
    }

    @Test
    void shouldSayAConfigurationFileThatIsNotUtf8IsNotText() throws Exception {
        // Given a file of bytes that are not UTF-8
        Path file = Files.write(dir.resolve("bin.properties"), new byte[] {(byte) 0xff, '=', '1'});

        // When it is read
        IllegalArgumentException e =
                assertThrows(
                        IllegalArgumentException.class,
                        () -> CanvasFlowConfig.builder().optFile(file).build());

        // Then the sentence says what is wrong with it, not the decoder's "Input length = 1"
        assertEquals(
                "configuration file "
                        + file
                        + " is not UTF-8 text of KEY=VALUE lines; give a properties file saved as"
                        + " UTF-8",
                e.getMessage());
    }
}
