package io.canvasflow.topology;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.canvasflow.kafka.BrokerExtension;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
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
    void shouldWarnThatAnEngineStartedBeforeKeepsItsOwnThreadCounts() throws Exception {
        // Given a model loaded first, so an engine running 2 intra-op threads where start() asks
        // for 1 (surefire sets ai.djl.pytorch.num_threads=1)
        ModelSource model = TestModel.source();
        int before = EngineThreadsInEffect.running().orElseThrow();
        setEngineThreads(2);
        String err;
        try {
            // When a program starts the application with it
            err = stderrOf(() -> CanvasFlowApp.start(settings("threads", "0"), model).close());
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

    /** What a call wrote to standard error, where slf4j-simple logs. */
    private static String stderrOf(Runnable call) {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        PrintStream old = System.err;
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
        try {
            call.run();
        } finally {
            System.setErr(old);
        }
        return err.toString(StandardCharsets.UTF_8);
    }

    /** The topics on the test broker whose names start so, sorted. */
    private static List<String> topicsStartingWith(String prefix) throws Exception {
        try (Admin admin = Admin.create(kafka.broker().clientConfig())) {
            return admin.listTopics().names().get(30, TimeUnit.SECONDS).stream()
                    .filter(t -> t.startsWith(prefix))
                    .sorted()
                    .toList();
        }
    }
}
