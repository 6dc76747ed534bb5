package io.canvasflow.topology;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.canvasflow.kafka.BrokerExtension;
import io.canvasflow.testsupport.StandardError;
import io.canvasflow.testsupport.TopicNames;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link CanvasFlowApp#start} called by a program that embeds CanvasFlow, not by serve: it checks
 * what serve checks before it makes anything, and says the PyTorch threads that are in effect.
 */
class AppStartTest {

    @RegisterExtension static final BrokerExtension kafka = new BrokerExtension();

    @TempDir Path dir;

    /** Settings with this test's state directory and its own topics, P-frames, P-masks, P-dlq. */
    private CanvasFlowConfig settings(String prefix, String httpPort) {
        return CanvasFlowConfig.fromMap(
                Map.of(
                        CanvasFlowConfig.BOOTSTRAP_SERVERS,
                        kafka.bootstrapServers(),
                        CanvasFlowConfig.APPLICATION_ID,
                        prefix + "-app",
                        CanvasFlowConfig.STATE_DIR,
                        dir.toString(),
                        CanvasFlowConfig.HTTP_PORT,
                        httpPort,
                        CanvasFlowConfig.TOPICS_CREATE,
                        "true",
                        CanvasFlowConfig.MODELS_FOLLOW,
                        "false",
                        CanvasFlowConfig.TOPIC_FRAMES,
                        prefix + "-frames",
                        CanvasFlowConfig.TOPIC_MASKS,
                        prefix + "-masks",
                        CanvasFlowConfig.TOPIC_DLQ,
                        prefix + "-dlq"));
    }

    @Test
    void shouldRefuseATakenHttpPortBeforeCreatingAnyTopic() throws Exception {
        // Given a port something else listens on
        try (ServerSocket taken = new ServerSocket(0)) {
            CanvasFlowConfig config = settings("taken", Integer.toString(taken.getLocalPort()));

            // When a program starts the application on it, with topics.create=true
            IllegalStateException e =
                    assertThrows(
                            IllegalStateException.class,
                            () -> CanvasFlowApp.start(config, TestModel.source()));

            // Then it is refused with serve's sentence, and no topic was made first
            assertEquals(
                    OpsHttpServer.listenProblem(
                            OpsHttpServer.EVERY_INTERFACE, taken.getLocalPort()),
                    e.getMessage());
        }
        assertEquals(List.of(), topicsStartingWith("taken-"));
    }

    @Test
    void shouldRefuseARecordLimitTheTopicsItCreatesCannotHoldBeforeCreatingAnyTopic()
            throws Exception {
        // Given mask events larger than the masks topic serve creates takes, and dead letters
        // larger than its dead-letter topic takes (camera ids of up to 200,000 characters)
        CanvasFlowConfig masks =
                settings("maskroom", "0").with(CanvasFlowConfig.MASK_MAX_BYTES, "2000000000");
        CanvasFlowConfig dlq =
                settings("dlqroom", "0")
                        .with(CanvasFlowConfig.CAMERA_ID_MAX_LENGTH, "200000")
                        .with(CanvasFlowConfig.DLQ_ORIGINAL_MAX_BYTES, "8388608");
        int limit = CanvasFlowTopology.maxMessageBytes(masks);

        // When a program starts the application with each, with topics.create=true
        List<String> refusals =
                java.util.stream.Stream.of(masks, dlq)
                        .map(
                                config ->
                                        assertThrows(
                                                        IllegalStateException.class,
                                                        () ->
                                                                CanvasFlowApp.start(
                                                                        config, TestModel.source()))
                                                .getMessage())
                        .toList();

        // Then each is refused in one sentence with what the topic would take, and no topic was
        // made first
        assertEquals(9437184, limit);
        assertEquals(
                List.of(
                        "mask.max.bytes is 2000000000 but the masks topic maskroom-masks takes"
                                + " records of at most 9437184 bytes (max.message.bytes, or the"
                                + " producer's max.request.size), room for mask events of 9435136;"
                                + " set it to at most 9435136, or raise the topic's"
                                + " max.message.bytes",
                        "dlq.original.max.bytes is 8388608 but the dead-letter topic dlqroom-dlq"
                                + " takes records of at most 9437184 bytes (max.message.bytes),"
                                + " room for originals of 7804416; set it to at most 7804416, or"
                                + " raise the topic's max.message.bytes to 10021376"),
                refusals);
        assertEquals(List.of(), topicsStartingWith("maskroom-"));
        assertEquals(List.of(), topicsStartingWith("dlqroom-"));
    }

    @Test
    void shouldFitToAMasksTopicThatExistsAsTheClusterHasIt() throws Exception {
        // Given a masks topic made before with a larger limit than serve makes its own with, and
        // a mask limit only that topic holds (and a producer that sends it)
        kafka.broker()
                .createTopic(
                        "kept-masks",
                        1,
                        Map.of("max.message.bytes", Integer.toString(12 * 1024 * 1024)));
        CanvasFlowConfig config =
                settings("kept", "0")
                        .with(CanvasFlowConfig.MASK_MAX_BYTES, "10000000")
                        .with("producer.max.request.size", "13000000");

        // When a program starts the application, with topics.create=true
        try (CanvasFlowApp app = CanvasFlowApp.start(config, TestModel.source())) {
            // Then it starts, having made the other two topics
            assertEquals(
                    List.of("kept-dlq", "kept-frames", "kept-masks"), topicsStartingWith("kept-"));
        }
    }

    @Test
    void shouldRefuseAStateFolderTheSystemWillNotMakeBeforeCreatingAnyTopic() throws Exception {
        // Given a state folder whose parent may be written in but that cannot be made (a name
        // too long; as root, one under /proc): Kafka Streams refused it after the topics were made
        Path state = dir.resolve("s".repeat(300));
        CanvasFlowConfig config =
                settings("longstate", "0").with(CanvasFlowConfig.STATE_DIR, state.toString());

        // When a program starts the application on it, with topics.create=true
        IllegalStateException e =
                assertThrows(
                        IllegalStateException.class,
                        () -> CanvasFlowApp.start(config, TestModel.source()));

        // Then it is refused in one sentence naming the setting, and no topic was made first
        assertEquals(
                "state.dir "
                        + state
                        + " cannot be made (File name too long); give --state-dir (or state.dir) a"
                        + " folder this user can make and write in",
                e.getMessage());
        assertEquals(List.of(), topicsStartingWith("longstate-"));
    }

    @Test
    void shouldWarnThatAnEngineStartedBeforeKeepsItsOwnThreadCounts() throws Exception {
        // Given a model loaded first, so an engine running 2 intra-op threads where start() asks
        // for 1 (surefire sets ai.djl.pytorch.num_threads=1)
        ModelSource model = TestModel.source();
        int before = EngineThreadsInEffect.running().orElseThrow();
        setEngineThreads(2);
        String err;
        try {
            // When a program starts the application with it
            err =
                    StandardError.of(
                            () -> CanvasFlowApp.start(settings("threads", "0"), model).close());
        } finally {
            setEngineThreads(before);
        }

        // Then the log says what the engine runs, and what to call instead
        assertTrue(
                err.contains(
                        "WARN "
                                + EngineThreadsInEffect.class.getName()
                                + " - "
                                + EngineThreadsInEffect.mismatch(1, 2, 1)),
                err);
        assertFalse(err.contains("PyTorch runs 1 intra-op thread(s)"), err);
    }

    /** Sets the running engine's intra-op threads, by name as topology knows no engine. */
    private static void setEngineThreads(int threads) throws Exception {
        Class.forName("ai.djl.pytorch.jni.JniUtils")
                .getMethod("setNumThreads", int.class)
                .invoke(null, threads);
    }

    /** The topics on the test broker whose names start so, sorted. */
    private static List<String> topicsStartingWith(String prefix) throws Exception {
        return TopicNames.startingWith(kafka.clientConfig(), prefix);
    }
}
