package io.canvasflow.topology;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.canvasflow.kafka.BrokerExtension;
import io.canvasflow.model.DeviceChoice;
import io.canvasflow.schemas.KafkaTopics;
import io.canvasflow.testsupport.CommandRun;
import io.canvasflow.testsupport.TopicNames;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.NewTopic;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * What serve checks before it starts anything: the broker answers, the topics exist, the state
 * directory is free, the engine sees the GPU asked for. Each failure is one line on standard error
 * and status 2, quickly.
 */
class ServeStartupChecksTest {

    @RegisterExtension static final BrokerExtension kafka = new BrokerExtension();

    @TempDir Path dir;

    /** Status, standard error, seconds. */
    private record Outcome(int status, String err, double seconds) {}

    private Outcome serve(String... args) {
        StringWriter err = new StringWriter();
        CommandLine cli = new CommandLine(new ServeCommand()).setErr(new PrintWriter(err));
        long start = System.nanoTime();
        int status = cli.execute(args);
        return new Outcome(status, err.toString().strip(), (System.nanoTime() - start) / 1e9);
    }

    /** serve on the test broker with the test model and this test's state directory. */
    private Outcome serveOnTestBroker(String... more) {
        List<String> args =
                new java.util.ArrayList<>(
                        List.of(
                                "--bootstrap-servers",
                                kafka.bootstrapServers(),
                                "--model",
                                TestModel.dir().toString(),
                                "--state-dir",
                                dir.toString()));
        args.addAll(List.of(more));
        return serve(args.toArray(String[]::new));
    }

    /** The -D settings that give serve its own topics, P-frames, P-masks and P-dlq, then more. */
    private static String[] ownTopics(String prefix, String... more) {
        List<String> args =
                new java.util.ArrayList<>(
                        List.of(
                                "-D",
                                "topic.frames=" + prefix + "-frames",
                                "-D",
                                "topic.masks=" + prefix + "-masks",
                                "-D",
                                "topic.dlq=" + prefix + "-dlq"));
        args.addAll(List.of(more));
        return args.toArray(String[]::new);
    }

    @Test
    void shouldSayNothingListensAtAWrongAddressWithinFifteenSeconds() {
        Outcome o =
                serve(
                        "--bootstrap-servers",
                        "127.0.0.1:1",
                        "--model",
                        TestModel.dir().toString(),
                        "--state-dir",
                        dir.toString());

        assertEquals(2, o.status(), o.err());
        assertEquals(
                "canvasflow serve: no Kafka broker at 127.0.0.1:1: nothing accepts connections"
                        + " there (start one with `canvasflow broker`, or pass the address of your"
                        + " cluster with --bootstrap-servers)",
                o.err());
        assertTrue(o.seconds() < 15, o.seconds() + " s");
    }

    @Test
    void shouldSayHowToCreateMissingTopicsInsteadOfRetryingForever() {
        Outcome o = serveOnTestBroker(ownTopics("absent"));

        assertOneLineStartingWith(
                o,
                2,
                "canvasflow serve: topics absent-frames, absent-masks, absent-dlq do not exist at "
                        + kafka.bootstrapServers()
                        + "; pass --create-topics");
    }

    @Test
    void shouldRefuseAReplicationFactorTheClusterCannotGiveStreamsOwnTopics() {
        // Given a one-broker cluster, and Kafka Streams asked for three replicas of its changelogs
        Outcome o =
                serveOnTestBroker(
                        "--http-port", "0", "--create-topics", "-D", "kafka.replication.factor=3");

        // Then serve says so before it starts, where each stream thread used to fail at its first
        // rebalance, be replaced and fail again, with /health DOWN and pages of traces
        assertEquals(2, o.status(), o.err());
        assertEquals(
                List.of(
                        "canvasflow serve: Kafka property replication.factor is 3 but the cluster"
                                + " at "
                                + kafka.bootstrapServers()
                                + " has 1 broker(s), too few for Kafka Streams' changelog topics;"
                                + " set it to at most 1, or -1 for the brokers' default"),
                o.err().lines().toList());
    }

    @Test
    void shouldRefuseAFramesTopicWhosePartitionsNoLongerMatchTheApplicationsChangelogs() {
        // Given an application that ran on a frames topic of 2 partitions, which now has 4
        kafka.broker()
                .createTopics(
                        Map.of(
                                "regrown-frames", 4,
                                "regrown-masks", 4,
                                "regrown-dlq", 1,
                                "regrown-app-canvas-store-changelog", 2));

        // When serve starts on it
        Outcome o =
                serveOnTestBroker(
                        ownTopics(
                                "regrown", "--http-port", "0", "-D", "application.id=regrown-app"));

        // Then it says so in one sentence, where each stream thread used to fail every few seconds
        // for ever with a stack trace
        assertEquals(2, o.status(), o.err());
        assertEquals(
                List.of(
                        "canvasflow serve: topic regrown-frames has 4 partitions but application"
                                + " regrown-app's changelog regrown-app-canvas-store-changelog has"
                                + " 2, from when the topic had 2: Kafka Streams cannot run them"
                                + " together, and partitions cannot be taken away; reset the"
                                + " application with kafka-streams-application-reset.sh"
                                + " --application-id regrown-app (it deletes the changelogs: each"
                                + " camera's next frame starts from a zero canvas), or serve under"
                                + " another application.id"),
                o.err().lines().toList());
    }

    @Test
    void shouldSayWhatKafkaStreamsRefusedAtStartInOneSentenceAndLeaveTheTopicsItMade()
            throws Exception {
        // Given a setting that passes every check before it and that Kafka Streams' constructor
        // refuses: a client supplier that cannot be made; and a topic that was there before
        kafka.broker().createTopics(Map.of("refused-masks", 1));
        Outcome o =
                serveOnTestBroker(
                        ownTopics(
                                "refused",
                                "--http-port",
                                "0",
                                "--create-topics",
                                "-D",
                                "kafka.default.client.supplier="
                                        + RefusingClientSupplier.class.getName(),
                                "-D",
                                "topic.models=refused-models",
                                "-D",
                                "topic.model.assignments=refused-assignments",
                                "-D",
                                "topic.model.errors=refused-errors"));

        // Then its refusal is one line and status 2, not a stack trace and status 1
        assertOneLineStartingWith(o, 2, "canvasflow serve: could not start: ");
        assertTrue(o.err().endsWith(": no clients from this supplier"), o.err());
        // and the topics it created stay: another instance may have found them already (a
        // refusal that a setting alone decides comes before any topic is made)
        List<String> all =
                List.of(
                        "refused-assignments",
                        "refused-dlq",
                        "refused-errors",
                        "refused-frames",
                        "refused-masks",
                        "refused-models");
        assertEquals(all, awaitTopics("refused-", all));
    }

    @Test
    void shouldRefuseAGpuTheEngineDoesNotSeeAtStartWhenModelsComeFromKafka() throws Exception {
        assumeTrue(
                DeviceChoice.GPU.problem() != null,
                "this machine has a GPU: the refusal cannot be seen here");
        // Given serve as the GPU overlay runs it: no model directory, models from the topics, on
        // a host whose engine sees no GPU
        Outcome o =
                serve(
                        ownTopics(
                                "gpu",
                                "--bootstrap-servers",
                                kafka.bootstrapServers(),
                                "--state-dir",
                                dir.toString(),
                                "--http-port",
                                "0",
                                "--create-topics",
                                "-D",
                                "model.dir=",
                                "-D",
                                "model.device=gpu",
                                "-D",
                                "models.wait.ms=20000",
                                "-D",
                                "topic.models=gpu-models",
                                "-D",
                                "topic.model.assignments=gpu-assignments",
                                "-D",
                                "topic.model.errors=gpu-errors"));

        // Then it refuses at once, naming the GPU, where it waited models.wait.ms and then said
        // that no model was assigned; and it made no topic, so reported no model refused
        assertEquals(
                new Outcome(
                        2,
                        "canvasflow serve: model.device=gpu was requested but the PyTorch engine"
                                + " sees no GPU; point PYTORCH_LIBRARY_PATH at a CUDA libtorch"
                                + " 2.7.1 (with PYTORCH_VERSION=2.7.1 and PYTORCH_FLAVOR=cu128;"
                                + " README: \"GPUs\") or use model.device=cpu",
                        0),
                new Outcome(o.status(), o.err(), 0));
        // (not a timing bar: only that it did not wait out the 20 s of models.wait.ms)
        assertTrue(o.seconds() < 20, o.seconds() + " s");
        assertEquals(List.of(), topicsStartingWith("gpu-"));
    }

    @Test
    void shouldRefuseARegistryTopicThatLosesItsModelsBeforeCreatingAnyTopic() throws Exception {
        // Given an assignments topic made by hand with cleanup.policy=delete (a week's retention)
        kafka.broker().createTopic("policy-assignments", 1, Map.of("cleanup.policy", "delete"));

        // When serve is asked to create its topics beside it
        Outcome o =
                serveOnTestBroker(
                        ownTopics(
                                "policy",
                                "--http-port",
                                "0",
                                "--create-topics",
                                "-D",
                                "topic.model.assignments=policy-assignments"));

        // Then it refuses in one sentence, and created nothing first
        assertOneLineStartingWith(
                o, 2, "canvasflow serve: topic policy-assignments has cleanup.policy=delete");
        assertEquals(List.of("policy-assignments"), topicsStartingWith("policy-"));
    }

    @Test
    void shouldDeleteTheTopicsOneCallCreatedWhenAnotherOfThemIsRefused() throws Exception {
        // Given topics to create in one call, one of them a name the broker refuses, one there
        kafka.broker().createTopics(Map.of("batch-there", 1));
        List<NewTopic> topics =
                List.of(
                        new NewTopic("batch-a", 1, (short) 1),
                        new NewTopic("batch-there", 1, (short) 1),
                        new NewTopic("batch bad!", 1, (short) 1),
                        new NewTopic("batch-b", 1, (short) 1));

        // When they are created
        IllegalStateException e =
                assertThrows(
                        IllegalStateException.class,
                        () ->
                                KafkaTopics.createIfAbsent(
                                        kafka.broker().clientConfig(),
                                        topics,
                                        Duration.ofSeconds(30)));

        // Then the refusal names the topic, and the ones the call created are gone again
        assertTrue(
                e.getMessage().startsWith("could not create topic batch bad!: "), e.getMessage());
        assertEquals(List.of("batch-there"), awaitTopics("batch", List.of("batch-there")));
    }

    @Test
    @Timeout(value = 2, unit = TimeUnit.MINUTES)
    void shouldStopWhenTheClusterRefusesKafkaStreamsTopicsInsteadOfReplacingThreadsForEver() {
        // Given a topic property the broker refuses for every changelog Kafka Streams creates
        Outcome o =
                serveOnTestBroker(
                        ownTopics(
                                "bad-policy",
                                "--http-port",
                                "0",
                                "--create-topics",
                                "-D",
                                "models.follow=false",
                                "-D",
                                "application.id=bad-policy",
                                "-D",
                                "topic.cleanup.policy=bogus"));

        // Then serve stops with one sentence and status 1, where each new stream thread failed
        // the same way at its first rebalance, for ever
        assertOneLineStartingWith(
                o,
                1,
                "canvasflow serve: a stream thread failed, and a new one would fail the same way,"
                        + " so serve stops: the cluster refused it with"
                        + " InvalidConfigurationException");
    }

    /**
     * Asserts that serve stopped with this status and one line on standard error that starts so.
     */
    private static void assertOneLineStartingWith(Outcome o, int status, String start) {
        assertEquals(status, o.status(), o.err());
        assertEquals(1, o.err().lines().count(), o.err());
        assertTrue(o.err().startsWith(start), o.err());
    }

    /** The topics starting so once they are as expected (a deletion takes a moment), or in 10 s. */
    private static List<String> awaitTopics(String prefix, List<String> expected) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        List<String> topics = topicsStartingWith(prefix);
        while (!topics.equals(expected) && System.nanoTime() < deadline) {
            Thread.sleep(100);
            topics = topicsStartingWith(prefix);
        }
        return topics;
    }

    /** The topics on the test broker whose names start so, sorted. */
    private static List<String> topicsStartingWith(String prefix) throws Exception {
        return TopicNames.startingWith(kafka.clientConfig(), prefix);
    }

    /** A client supplier whose construction fails, as a misconfigured plugin's would. */
    public static final class RefusingClientSupplier
            extends org.apache.kafka.streams.processor.internals.DefaultKafkaClientSupplier {
        public RefusingClientSupplier() {
            throw new IllegalStateException("no clients from this supplier");
        }
    }

    @Test
    void shouldNameTheStateDirectoryThatAnotherInstanceHoldsWithoutKafkasErrorFirst()
            throws Exception {
        // Given a running instance
        Map<String, String> settings =
                Map.of(
                        CanvasFlowConfig.BOOTSTRAP_SERVERS, kafka.bootstrapServers(),
                        CanvasFlowConfig.STATE_DIR, dir.toString(),
                        CanvasFlowConfig.HTTP_PORT, "0",
                        CanvasFlowConfig.TOPICS_CREATE, "true",
                        CanvasFlowConfig.APPLICATION_ID, "locked");
        try (CanvasFlowApp first =
                CanvasFlowApp.start(CanvasFlowConfig.fromMap(settings), TestModel.source())) {
            // When a second one starts on the same state directory, its log captured with what
            // it says (the first one's lines may come between)
            CommandRun second =
                    CommandRun.of(
                            () -> new CommandLine(new ServeCommand()),
                            "--bootstrap-servers",
                            kafka.bootstrapServers(),
                            "--model",
                            TestModel.dir().toString(),
                            "--state-dir",
                            dir.toString(),
                            "--http-port",
                            "0",
                            "-D",
                            "application.id=locked");

            // Then it says which directory and what to do, and Kafka Streams, which it no longer
            // reaches, logged no ERROR about its lock before that
            assertEquals(2, second.exit(), second.err());
            assertTrue(
                    second.errLines()
                            .contains(
                                    "canvasflow serve: the state directory "
                                            + dir.resolve("locked")
                                            + " is in use by another instance of locked on this"
                                            + " host; give this one its own with --state-dir DIR"
                                            + " (and --http-port 0)"),
                    second.err());
            assertTrue(!second.err().contains("Unable to obtain lock"), second.err());

            // and the first still holds its folder after a garbage collection (the probe's
            // channel, left open, would drop the first's lock if the cleaner closed it)
            for (int i = 0; i < 3; i++) {
                System.gc();
                Thread.sleep(100);
            }
            assertEquals(
                    LockHolder.NOT_LOCKED,
                    lockFromAnotherProcess(
                            dir.resolve("locked").resolve(StateFolderLock.KAFKA_LOCK_FILE)));
        }
        // and once the first has stopped, the folder is free again
        assertEquals(null, StateFolderLock.problem(CanvasFlowConfig.fromMap(settings)));
    }

    /** What a child JVM says when it tries the lock on a file: locked, or held elsewhere. */
    private String lockFromAnotherProcess(Path file) throws Exception {
        try (LockHolder.Running holder = LockHolder.start(file, dir.resolve("holder.log"))) {
            return holder.said();
        }
    }
}
