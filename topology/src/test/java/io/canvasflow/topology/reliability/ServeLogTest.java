package io.canvasflow.topology.reliability;

import static io.canvasflow.topology.reliability.Fixtures.everyFrame;
import static io.canvasflow.topology.reliability.Fixtures.sequences;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.canvasflow.kafka.EmbeddedKafkaBroker;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * What {@code serve} (in a child JVM) logs through two routine events: a restart after SIGKILL
 * under exactly-once, and an outage of its only broker. Each is said in CanvasFlow's own lines,
 * without Kafka's stack traces or a line per failed connection.
 */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class ServeLogTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(90);
    private static final Path LOGS = Path.of("target", "reliability");

    /** A stack-trace line, or a WARN or ERROR of Kafka's. */
    private static final Pattern KAFKA_NOISE =
            Pattern.compile("^\\s+at |^Caused by|(WARN|ERROR) org\\.apache\\.kafka");

    /** Kafka Streams' WARN at every start under the OS's temporary folder, as a test's is. */
    private static final String TEMP_STATE_DIR = "Using an OS temp directory";

    @TempDir Path dir;

    @Test
    void shouldRestoreTheCanvasAfterSigkillSayingItInOneLineWithoutStackTraces() throws Exception {
        // Given serve (exactly-once) segmenting two cameras, one per partition
        // When it is killed with SIGKILL and started again on its state directory
        StopAndStartAgain.Outcome run =
                StopAndStartAgain.run("unclean-stop", dir, ChildServe::kill);

        // Then Kafka says nothing about it: no WARN, no ERROR, no stack trace
        assertEquals(
                List.of(),
                run.restarted().stream()
                        .filter(l -> KAFKA_NOISE.matcher(l).find())
                        .filter(l -> !l.contains(TEMP_STATE_DIR))
                        .toList());
        // And it says in one INFO line of its own which tasks it restores
        assertEquals(
                List.of(
                        "INFO io.canvasflow.topology.UncleanStop - the local state of"
                                + " task(s) 0_0, 0_1 in "
                                + dir.resolve("unclean-stop")
                                + " has no mark of a clean stop: an unclean stop (a"
                                + " kill, an OOM kill, a lost node) may have left"
                                + " uncommitted writes in it; deleted it, restoring it"
                                + " from the changelog"),
                run.restarted().stream()
                        .filter(l -> l.contains("UncleanStop"))
                        .map(l -> l.substring(l.indexOf("INFO")))
                        .toList());
        // And every frame has one mask, and the first after the restart continues from the
        // canvas restored from the changelog
        assertEquals(everyFrame(run.cameras(), 8), sequences(run.masks()));
        assertEquals(Fixtures.seeded(run.cameras(), 6), Fixtures.howEach(run.masks(), 6));
    }

    @Test
    void shouldSayABrokerOutageInItsOwnLinesWithoutALinePerFailedConnection() throws Exception {
        try (EmbeddedKafkaBroker kafka =
                EmbeddedKafkaBroker.builder().optDataDir(dir.resolve("kafka")).build()) {
            // Given serve running against its only broker
            kafka.start();
            Fixtures.createTopics(kafka, 2);
            Map<String, String> settings =
                    Fixtures.settings(kafka.bootstrapServers(), "outage", dir.resolve("state"));
            try (ChildServe serve =
                    ChildServe.start(Fixtures.modelDir(), settings, LOGS.resolve("outage.log"))) {
                serve.awaitOwns("[0, 1]", TIMEOUT);

                // When the broker is away for 15 s and comes back
                kafka.stop();
                Thread.sleep(15_000);
                kafka.start();
                String back = "answers again";
                Fixtures.await(
                        "serve says the cluster " + back,
                        TIMEOUT,
                        () -> serve.output().stream().anyMatch(l -> l.contains(back)),
                        () -> serve.logTail(40));

                // Then serve said it when it started and when it ended, in a line each
                String at = "Kafka cluster at " + kafka.bootstrapServers();
                assertEquals(
                        List.of(
                                "WARN io.canvasflow.topology.ClusterWatch - "
                                        + at
                                        + " does not answer (no broker answered within 5 s);"
                                        + " serve goes on by itself once it does, and says it"
                                        + " again every minute until then",
                                "INFO io.canvasflow.topology.ClusterWatch - " + at + " answers"),
                        serve.output().stream()
                                .filter(l -> l.contains("ClusterWatch"))
                                .map(l -> l.substring(l.indexOf("] ") + 2))
                                .map(
                                        l ->
                                                l.replaceFirst(
                                                        " answers again, after \\d+ s without",
                                                        " answers"))
                                .toList());
                // And Kafka's clients did not say each connection that failed (the logger by
                // name: a stack trace after the restart may pass through ConsumerNetworkClient)
                assertEquals(
                        List.of(),
                        serve.output().stream()
                                .filter(
                                        l ->
                                                l.contains(
                                                        " org.apache.kafka.clients.NetworkClient - "))
                                .toList());
            }
        }
    }
}
