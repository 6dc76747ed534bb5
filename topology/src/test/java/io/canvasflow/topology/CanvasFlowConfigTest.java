package io.canvasflow.topology;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.canvasflow.model.Architecture;
import io.canvasflow.model.ModelSpec;
import io.canvasflow.model.ModelType;
import io.canvasflow.model.TestModels;
import io.canvasflow.schemas.Topics;
import io.canvasflow.schemas.avro.ResetReason;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.streams.StreamsConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CanvasFlowConfigTest {

    @TempDir Path dir;

    @Test
    void shouldDefaultToTheDocumentedValues() {
        CanvasFlowConfig config = CanvasFlowConfig.defaults();

        Map<String, String> expected = new LinkedHashMap<>();
        expected.put("bootstrap.servers", "");
        expected.put("application.id", "canvasflow");
        expected.put("model.dir", config.modelDir().toString());
        expected.put("model.device", "auto");
        expected.put("topic.frames", Topics.FRAMES.name());
        expected.put("topic.masks", Topics.MASKS.name());
        expected.put("topic.dlq", Topics.FRAMES_DLQ.name());
        expected.put("topic.models", Topics.MODELS.name());
        expected.put("topic.model.assignments", Topics.MODEL_ASSIGNMENTS.name());
        expected.put("topic.model.errors", Topics.MODEL_ERRORS.name());
        expected.put("models.follow", "true");
        expected.put("models.cache.size", "3");
        expected.put("models.wait.ms", "0");
        expected.put("models.cache.dir", "");
        expected.put("startup.timeout.ms", "10000");
        expected.put("lag.warn.ms", "2000");
        expected.put("instance.id", "auto");
        expected.put("mask.size", "model");
        expected.put("mask.max.bytes", "0");
        expected.put("topic.partitions", "12");
        expected.put("topic.replication", "1");
        expected.put("topics.create", "false");
        expected.put("canvas.seeded.iterations", "2");
        expected.put("canvas.full.iterations", "");
        expected.put("canvas.keyframe.interval", "0");
        expected.put("canvas.max.gap.ms", "2000");
        expected.put("canvas.scene.cut.fraction", "0.5");
        expected.put("latency.budget.ms", "0");
        expected.put("processing.mode", "every-frame");
        expected.put("frame.max.bytes", "8388608");
        expected.put("dlq.original.max.bytes", "0");
        expected.put("frame.max.pixels", "16777216");
        expected.put("camera.id.max.length", "256");
        expected.put("state.dir", config.stateDir());
        expected.put("num.stream.threads", "1");
        expected.put("num.standby.replicas", "0");
        expected.put("processing.guarantee", "exactly_once_v2");
        expected.put("http.port", "8080");
        expected.put("http.host", "0.0.0.0");
        assertEquals(expected, config.settings());
        assertEquals(
                Path.of("models", "rnn"),
                config.modelDir()
                        .subpath(
                                config.modelDir().getNameCount() - 2,
                                config.modelDir().getNameCount()));
        assertEquals(Path.of(config.stateDir(), "model-cache"), config.modelsCacheDir());
    }

    @Test
    void shouldTakeTheFullIterationsFromTheModelUnlessSet() {
        // Given models trained for 4 iterations and for an unrecorded number, and the defaults
        ModelSpec four = spec(4);
        ModelSpec unrecorded = spec(0);
        CanvasFlowConfig defaults = CanvasFlowConfig.defaults();

        // When the full iterations are left unset, then set to 8
        CanvasFlowConfig eight = defaults.with(CanvasFlowConfig.CANVAS_FULL_ITERATIONS, "8");

        // Then unset they are each model's own (the fallback where model.json has none), the
        // policy resets with them, and a setting wins over any model
        assertEquals("", defaults.settings().get(CanvasFlowConfig.CANVAS_FULL_ITERATIONS));
        assertEquals(
                List.of(4, CanvasFlowConfig.DEFAULT_FULL_ITERATIONS, 4, 8, 8),
                List.of(
                        defaults.fullIterations(four),
                        defaults.fullIterations(unrecorded),
                        CanvasPolicy.of(defaults, four).reset(ResetReason.FIRST_FRAME).iterations(),
                        eight.fullIterations(four),
                        eight.fullIterations(unrecorded)));
        assertEquals(CanvasFlowConfig.DEFAULT_SEEDED_ITERATIONS, defaults.seededIterations());
    }

    private static ModelSpec spec(int iterationsTrained) {
        return TestModels.trainedFor(
                TestModels.spec(ModelType.RECURRENT, Architecture.tiny(), 64, 64),
                iterationsTrained);
    }

    @Test
    void shouldTakeABlankModelDirectoryAsNoneAndRefuseACacheSizeOfZero() {
        CanvasFlowConfig blank = CanvasFlowConfig.fromMap(Map.of("model.dir", " "));
        assertEquals(null, blank.modelDir());
        assertEquals(false, blank.modelDirIsDefault());
        assertEquals(true, CanvasFlowConfig.defaults().modelDirIsDefault());

        IllegalArgumentException e =
                org.junit.jupiter.api.Assertions.assertThrows(
                        IllegalArgumentException.class,
                        () -> CanvasFlowConfig.fromMap(Map.of("models.cache.size", "0")));
        assertTrue(e.getMessage().contains("models.cache.size"), e.getMessage());
    }

    @Test
    void shouldLetTheEnvironmentOverrideTheFileAndFlagsOverrideBoth() throws Exception {
        // Given a file, the environment and flags that all set some settings
        Path file = dir.resolve("canvasflow.properties");
        Files.writeString(
                file,
                "canvas.seeded.iterations=3\ncanvas.full.iterations=8\nnum.stream.threads=2\n"
                        + "processing.mode=latest-only\n");
        Map<String, String> env =
                Map.of(
                        "KAFKA_BOOTSTRAP_SERVERS", "kafka-0:9092,kafka-1:9092",
                        "CANVASFLOW_CANVAS_FULL_ITERATIONS", "7",
                        "CANVASFLOW_NUM_STREAM_THREADS", "3",
                        "CANVASFLOW_HEAP", "6g");
        Map<String, String> flags = Map.of("num.stream.threads", "4");

        // When loaded
        CanvasFlowConfig config =
                CanvasFlowConfig.builder().optFile(file).optEnvironment(env).opt(flags).build();

        // Then each setting comes from the last source that set it
        assertEquals(
                Map.of(
                        "bootstrap.servers", "kafka-0:9092,kafka-1:9092",
                        "canvas.seeded.iterations", "3",
                        "canvas.full.iterations", "7",
                        "num.stream.threads", "4",
                        "processing.mode", "latest-only"),
                Map.of(
                        "bootstrap.servers", config.bootstrapServers(),
                        "canvas.seeded.iterations", Integer.toString(config.seededIterations()),
                        "canvas.full.iterations",
                                config.settings().get(CanvasFlowConfig.CANVAS_FULL_ITERATIONS),
                        "num.stream.threads", Integer.toString(config.numStreamThreads()),
                        "processing.mode", config.processingMode().value()));
    }

    @Test
    void shouldNameTheVariableOrFileAnInvalidValueCameFrom() throws Exception {
        String fromEnv = EnvironmentRefusals.refusal(Map.of("CANVASFLOW_CANVAS_MAX_GAP_MS", "abc"));
        assertTrue(
                fromEnv.startsWith(
                        "setting canvas.max.gap.ms (environment variable"
                                + " CANVASFLOW_CANVAS_MAX_GAP_MS) must be"),
                fromEnv);

        Path file = Files.writeString(dir.resolve("bad.properties"), "canvas.max.gap.ms=abc\n");
        IllegalArgumentException fromFile =
                assertThrows(
                        IllegalArgumentException.class,
                        () -> CanvasFlowConfig.builder().optFile(file).build());
        assertTrue(fromFile.getMessage().contains("(key in " + file + ")"), fromFile.getMessage());

        // A flag wins over the file, and then the file is not what is wrong
        IllegalArgumentException fromFlag =
                assertThrows(
                        IllegalArgumentException.class,
                        () ->
                                CanvasFlowConfig.builder()
                                        .optFile(file)
                                        .opt(Map.of("canvas.max.gap.ms", "-5"))
                                        .build());
        assertTrue(
                fromFlag.getMessage().startsWith("setting canvas.max.gap.ms must be"),
                fromFlag.getMessage());
    }

    @Test
    void shouldPassKafkaSecurityAndTuningPropertiesThroughUnchanged() throws Exception {
        Path file = dir.resolve("secure.properties");
        Files.writeString(
                file,
                "security.protocol=SASL_SSL\n"
                        + "sasl.mechanism=SCRAM-SHA-512\n"
                        + "kafka.ssl.truststore.location=/etc/kafka/truststore.jks\n"
                        + "consumer.max.poll.records=50\n"
                        + "commit.interval.ms=250\n");
        Map<String, String> env =
                Map.of(
                        "CANVASFLOW_KAFKA_SASL_JAAS_CONFIG",
                        "org.apache.kafka.common.security.scram.ScramLoginModule required;");

        CanvasFlowConfig config =
                CanvasFlowConfig.builder().optFile(file).optEnvironment(env).build();
        Properties streams =
                CanvasFlowTopology.streamsConfig(config.with("bootstrap.servers", "k:9093"));

        Map<String, String> expected =
                Map.of(
                        "security.protocol", "SASL_SSL",
                        "sasl.mechanism", "SCRAM-SHA-512",
                        "ssl.truststore.location", "/etc/kafka/truststore.jks",
                        "consumer.max.poll.records", "50",
                        "commit.interval.ms", "250",
                        "sasl.jaas.config",
                                "org.apache.kafka.common.security.scram.ScramLoginModule required;");
        assertEquals(expected, config.kafkaProperties());
        expected.forEach((k, v) -> assertEquals(v, streams.get(k), k));
    }

    @Test
    void shouldLetAPlainClientPropertyReplaceServesPrefixedDefault() {
        // Given serve's defaults (session 10 s, 20 records a poll, a producer request as large as
        // a frame) and a user's plain keys, as the Kubernetes base's properties file gives them
        CanvasFlowConfig defaults = CanvasFlowConfig.fromMap(Map.of("bootstrap.servers", "k:9092"));
        CanvasFlowConfig user =
                defaults.with("session.timeout.ms", "60000")
                        .with("kafka.max.poll.records", "100")
                        .with("max.request.size", "2000000");

        // When Kafka Streams builds its stream threads' clients
        StreamsConfig streams = new StreamsConfig(CanvasFlowTopology.streamsConfig(user));
        Map<String, Object> consumer = streams.getMainConsumerConfigs("g", "c", 0);
        Map<String, Object> producer = streams.getProducerConfigs("p");

        // Then the user's values reach them (the prefixed defaults used to win over them)
        assertEquals(60000, Integer.parseInt(consumer.get("session.timeout.ms").toString()));
        assertEquals(100, Integer.parseInt(consumer.get("max.poll.records").toString()));
        assertEquals(2000000, Integer.parseInt(producer.get("max.request.size").toString()));
        // and without them serve's defaults hold
        StreamsConfig plain = new StreamsConfig(CanvasFlowTopology.streamsConfig(defaults));
        Map<String, Object> byDefault = plain.getMainConsumerConfigs("g", "c", 0);
        assertEquals(10000, Integer.parseInt(byDefault.get("session.timeout.ms").toString()));
        assertEquals(20, Integer.parseInt(byDefault.get("max.poll.records").toString()));
    }

    @Test
    void shouldBuildStreamsConfigWithExactlyOnceAndTheDeadLetterHandlers() {
        CanvasFlowConfig config =
                CanvasFlowConfig.fromMap(
                        Map.of(
                                "bootstrap.servers", "k:9092",
                                "application.id", "cf-test",
                                "state.dir", "/var/lib/canvasflow",
                                "num.stream.threads", "2",
                                "num.standby.replicas", "1",
                                "topic.dlq", "cf-dlq"));

        Properties props = CanvasFlowTopology.streamsConfig(config);

        Map<String, Object> expected = new LinkedHashMap<>();
        expected.put(StreamsConfig.APPLICATION_ID_CONFIG, "cf-test");
        expected.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "k:9092");
        expected.put(StreamsConfig.STATE_DIR_CONFIG, "/var/lib/canvasflow");
        expected.put(StreamsConfig.NUM_STREAM_THREADS_CONFIG, 2);
        expected.put(StreamsConfig.NUM_STANDBY_REPLICAS_CONFIG, 1);
        expected.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, "exactly_once_v2");
        expected.put(StreamsConfig.ERRORS_DEAD_LETTER_QUEUE_TOPIC_NAME_CONFIG, "cf-dlq");
        expected.put(
                StreamsConfig.DESERIALIZATION_EXCEPTION_HANDLER_CLASS_CONFIG,
                DeadLetterDeserializationHandler.class);
        expected.put(
                StreamsConfig.PROCESSING_EXCEPTION_HANDLER_CLASS_CONFIG,
                DeadLetterProcessingHandler.class);
        expected.put(
                StreamsConfig.PRODUCTION_EXCEPTION_HANDLER_CLASS_CONFIG,
                LogAndFailProductionHandler.class);
        expected.put("producer.max.request.size", Integer.toString(8 * 1024 * 1024 + 1024 * 1024));
        // the changelogs too: latest-only's pending store holds whole frames
        expected.put("topic.max.message.bytes", Integer.toString(8 * 1024 * 1024 + 1024 * 1024));
        expected.forEach((k, v) -> assertEquals(v, props.get(k), k));
    }

    @Test
    void shouldRefuseUnknownKeysAndBadValuesWithASentenceNamingThem() {
        Map<String, String> said =
                refusals(
                        Map.of(
                                "canvas.seeded.iteration", "2",
                                "canvas.scene.cut.fraction", "1.5",
                                "processing.mode", "sometimes"));

        assertEquals(
                Map.of(
                        "canvas.seeded.iteration",
                        "unknown setting 'canvas.seeded.iteration': expected a CanvasFlow setting ("
                                + String.join(", ", CanvasFlowConfig.settingNames())
                                + "), a Kafka client or Streams property, or a key prefixed"
                                + " 'kafka.'",
                        "canvas.scene.cut.fraction",
                        "setting canvas.scene.cut.fraction must be a number between 0 and 1, got"
                                + " '1.5'",
                        "processing.mode",
                        "setting processing.mode must be every-frame or latest-only, got"
                                + " 'sometimes'"),
                said);
    }

    @Test
    void shouldSayTheBoundOfANumberTooLargeForItsSetting() {
        // Given numbers past what an int and a long setting hold
        Map<String, String> tooLarge =
                Map.of(
                        "frame.max.bytes", "999999999999",
                        "camera.id.max.length", "2147483648",
                        "lag.warn.ms", "99999999999999999999");

        // Then each refusal says the setting's real bound, not just its least value
        Map<String, String> said = refusals(tooLarge);
        assertEquals(
                Map.of(
                        "frame.max.bytes",
                        "setting frame.max.bytes must be an integer from 1 to 2147483647, got"
                                + " '999999999999'",
                        "camera.id.max.length",
                        "setting camera.id.max.length must be an integer from 1 to 2147483647, got"
                                + " '2147483648'",
                        "lag.warn.ms",
                        "setting lag.warn.ms must be an integer of at least 0 (at most"
                                + " 9223372036854775807), got '99999999999999999999'"),
                said);
    }

    @Test
    void shouldRefuseTwoSettingsNamingOneTopicAndTakeDistinctOnes() {
        // Given topics shared by two settings, or that Kafka cannot tell apart
        Map<Map<String, String>, String> refused = new LinkedHashMap<>();
        refused.put(
                Map.of("topic.dlq", "frames"),
                "settings topic.frames and topic.dlq both name topic frames; give each its own"
                        + " topic");
        refused.put(
                Map.of("topic.masks", "cam.out", "topic.dlq", "cam_out"),
                "settings topic.masks and topic.dlq name topics cam.out and cam_out, which Kafka"
                        + " cannot tell apart");
        refused.put(
                Map.of("topic.model.assignments", "masks"),
                "settings topic.masks and topic.model.assignments both name topic masks");
        refused.put(
                Map.of("topic.models", "model-errors"),
                "settings topic.models and topic.model.errors both name topic model-errors");
        refused.put(
                Map.of("application.id", "app", "topic.masks", "app-canvas-store-changelog"),
                "setting topic.masks names topic app-canvas-store-changelog, which is (or collides"
                        + " with) Kafka Streams' changelog app-canvas-store-changelog of"
                        + " application.id app");

        // Then each is refused in one sentence naming both
        refused.forEach(
                (settings, words) -> {
                    String said =
                            assertThrows(
                                            IllegalArgumentException.class,
                                            () -> CanvasFlowConfig.fromMap(settings))
                                    .getMessage();
                    assertTrue(said.startsWith(words), settings + ": " + said);
                });
        // and the registry's topics count only when serve follows the registry
        assertEquals(
                "masks",
                CanvasFlowConfig.fromMap(
                                Map.of(
                                        "models.follow",
                                        "false",
                                        "topic.model.assignments",
                                        "masks"))
                        .modelAssignmentsTopic());
    }

    @Test
    void shouldRefuseTopicNamesAndAnApplicationIdKafkaWouldNotTake() {
        // Given names a broker refuses, and an application id its internal topics cannot begin
        Map<String, String> bad = new LinkedHashMap<>();
        bad.put("topic.frames", "bad name");
        bad.put("topic.dlq", "..");
        bad.put("topic.model.errors", "x".repeat(250));
        bad.put("application.id", "bad id!");
        bad.put("kafka.replication.factor", "0");

        // Then each is refused naming the setting and what Kafka takes
        Map<String, String> said = refusals(bad);
        String topicName =
                " must be a Kafka topic name: 1 to 249 letters, digits, '.', '_' or '-', not '.' or"
                        + " '..', got '";
        assertEquals(
                Map.of(
                        "topic.frames",
                        "setting topic.frames" + topicName + "bad name'",
                        "topic.dlq",
                        "setting topic.dlq" + topicName + "..'",
                        "topic.model.errors",
                        "setting topic.model.errors" + topicName + "x".repeat(250) + "'",
                        "application.id",
                        "setting application.id must be letters, digits, '.', '_' or '-', 1 to 218"
                                + " of them: it names the consumer group and begins the names of"
                                + " Kafka Streams' topics (such as"
                                + " APPLICATION_ID-pending-frames-store-changelog), got 'bad id!'",
                        "kafka.replication.factor",
                        "Kafka property replication.factor is not valid: it must be -1 (the"
                                + " brokers' default.replication.factor) or at least 1, got 0"),
                said);
        // and Kafka's own limits pass: 249 characters, -1 for the brokers' default
        CanvasFlowConfig.fromMap(
                Map.of(
                        "topic.frames",
                        "x".repeat(249),
                        "application.id",
                        "a".repeat(218),
                        "replication.factor",
                        "-1"));
    }

    @Test
    void shouldDefineEverySettingOnceWithItsTypeDefaultAndDocumentation() {
        // Given Kafka's definition of the settings
        ConfigDef def = CanvasFlowConfig.configDef();

        // Then it names exactly the settings a configuration holds, each documented
        assertEquals(
                List.copyOf(CanvasFlowConfig.defaults().settings().keySet()),
                List.copyOf(def.configKeys().keySet()));
        for (ConfigDef.ConfigKey key : def.configKeys().values()) {
            assertTrue(key.documentation.length() > 20, key.name);
            // and every default passes its own check
            assertEquals(
                    String.valueOf(key.defaultValue),
                    CanvasFlowConfig.defaults().settings().get(key.name),
                    key.name);
        }
    }

    @Test
    void shouldBuildFromAnotherConfigurationAndCheckEveryValueInBuild() {
        // Given a configuration and a builder from it with one more setting
        CanvasFlowConfig base = CanvasFlowConfig.fromMap(Map.of("topic.partitions", "4"));
        CanvasFlowConfig.Builder builder =
                base.toBuilder().opt("canvas.seeded.iterations", "3").opt("linger.ms", "5");

        // When built
        CanvasFlowConfig built = builder.build();

        // Then it keeps the base's settings and adds the new ones
        assertEquals(
                List.of(4, 3, "5"),
                List.of(
                        built.topicPartitions(),
                        built.seededIterations(),
                        built.kafkaProperties().get("linger.ms")));
        // and a bad value is refused by build(), naming the setting, what it must be and got
        IllegalArgumentException e =
                assertThrows(
                        IllegalArgumentException.class,
                        () -> base.toBuilder().opt("http.port", "70000").build());
        assertEquals(
                "setting http.port must be a port between 0 and 65535, got '70000'",
                e.getMessage());
        IllegalArgumentException full =
                assertThrows(
                        IllegalArgumentException.class,
                        () -> base.toBuilder().opt("canvas.full.iterations", "0").build());
        assertEquals(
                "setting canvas.full.iterations must be blank (the model's own) or an integer"
                        + " from 1 to 1000, got '0'",
                full.getMessage());
    }

    @Test
    void shouldRefuseMoreIterationsThanASegmentRequestTakes() {
        // Given the most iterations a segment request takes, and one more (each frame would be
        // dead-lettered by SegmentRequest's build())
        int most = io.canvasflow.model.SegmentRequest.MAX_ITERATIONS;
        CanvasFlowConfig base = CanvasFlowConfig.defaults();

        // When each setting is given the most, then one more
        CanvasFlowConfig mostOfBoth =
                base.toBuilder()
                        .opt(CanvasFlowConfig.CANVAS_FULL_ITERATIONS, Integer.toString(most))
                        .opt(CanvasFlowConfig.CANVAS_SEEDED_ITERATIONS, Integer.toString(most))
                        .build();
        List<String> refusals =
                java.util.stream.Stream.of(
                                CanvasFlowConfig.CANVAS_FULL_ITERATIONS,
                                CanvasFlowConfig.CANVAS_SEEDED_ITERATIONS)
                        .map(
                                name ->
                                        assertThrows(
                                                        IllegalArgumentException.class,
                                                        () ->
                                                                base.toBuilder()
                                                                        .opt(name, "1001")
                                                                        .build())
                                                .getMessage())
                        .toList();

        // Then the most is taken, and one more refused at start in one sentence
        assertEquals(
                List.of("1000", 1000),
                List.of(
                        mostOfBoth.settings().get(CanvasFlowConfig.CANVAS_FULL_ITERATIONS),
                        mostOfBoth.seededIterations()));
        assertEquals(
                List.of(
                        "setting canvas.full.iterations must be blank (the model's own) or an"
                                + " integer from 1 to 1000, got '1001'",
                        "setting canvas.seeded.iterations must be an integer from 1 to 1000, got"
                                + " '1001'"),
                refusals);
    }

    @Test
    void shouldKeepTheSettingsReferenceInDocsEqualToTheDefinitions() throws Exception {
        // Given the reference in the repository (the module runs one folder below it)
        Path doc = Path.of("..", "docs", "settings.md");

        // Then it is what serve --print-settings prints now
        assertEquals(
                SettingsTable.markdown(),
                Files.readString(doc),
                "docs/settings.md is stale: regenerate it with"
                        + " ./canvasflow serve --print-settings > docs/settings.md");
    }

    @Test
    void shouldNameAConfigurationFileWithAMalformedEscape() throws Exception {
        // Given a properties file whose backslash-u escape is cut short
        Path file = Files.writeString(dir.resolve("bad.properties"), "x=\\u12\n");

        IllegalArgumentException e =
                assertThrows(
                        IllegalArgumentException.class,
                        () -> CanvasFlowConfig.builder().optFile(file).build());

        // Then the sentence names the file, not only Properties' own words for the escape
        assertTrue(
                e.getMessage().startsWith("cannot read the configuration file " + file + ": "),
                e.getMessage());
    }

    @Test
    void shouldRefuseAnEnvironmentVariableThatNamesNoSetting() {
        // Given a typo in a variable's name, beside the launcher's own variable
        Map<String, String> env =
                Map.of("CANVASFLOW_CANVAS_MAXGAP_MS", "0", "CANVASFLOW_HEAP", "2g");

        String refusal = EnvironmentRefusals.refusal(env);

        // Then it is named (it was ignored without a word, where the same key in a file is not)
        assertEquals(
                EnvironmentRefusals.namesNoSetting(
                        "CANVASFLOW_CANVAS_MAXGAP_MS", "canvas.maxgap.ms"),
                refusal);

        // while what Kubernetes sets for a Service named canvasflow-metrics is left alone
        CanvasFlowConfig.builder()
                .optEnvironment(
                        Map.of(
                                "CANVASFLOW_METRICS_SERVICE_HOST", "10.0.0.7",
                                "CANVASFLOW_METRICS_SERVICE_PORT_HTTP", "8080",
                                "CANVASFLOW_METRICS_PORT", "tcp://10.0.0.7:8080",
                                "CANVASFLOW_METRICS_PORT_8080_TCP_ADDR", "10.0.0.7",
                                "CANVASFLOW_HTTP_PORT", "8081"))
                .build();
    }

    /** Each setting's refusal, alone in a configuration, by key. */
    private static Map<String, String> refusals(Map<String, String> settings) {
        Map<String, String> said = new LinkedHashMap<>();
        settings.forEach(
                (k, v) ->
                        said.put(
                                k,
                                assertThrows(
                                                IllegalArgumentException.class,
                                                () -> CanvasFlowConfig.fromMap(Map.of(k, v)))
                                        .getMessage()));
        return said;
    }
}
