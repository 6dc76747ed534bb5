package io.canvasflow.clients.view;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.canvasflow.testsupport.CommandRun;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** {@code canvasflow view} refuses bad input at once: one sentence on stderr, exit 2. */
class ViewCommandTest {

    /** Nothing listens here; the command must fail before it would try to connect. */
    private static final String NOWHERE = "127.0.0.1:1";

    @Test
    void shouldRefuseToStartWithoutBootstrapServers() {
        CommandRun run = view("--port", "0");

        assertEquals(2, run.exit());
        assertEquals(
                List.of(
                        "canvasflow view: missing Kafka bootstrap servers: give --bootstrap-servers"
                                + " HOST:PORT or set KAFKA_BOOTSTRAP_SERVERS"),
                run.errLines());
    }

    @Test
    void shouldRefuseAnAddressThatIsNotThisMachines() {
        for (String bind : List.of("192.0.2.1", "no-such-host.invalid", "", "300.1.1.1")) {
            CommandRun run = view("--bootstrap-servers", NOWHERE, "--bind", bind);

            assertEquals(2, run.exit(), bind);
            assertEquals(
                    List.of(
                            "canvasflow view: expected --bind to be an address of this machine"
                                    + " (127.0.0.1, 0.0.0.0 or an interface's address) but found '"
                                    + bind
                                    + "'"),
                    run.errLines());
        }
    }

    @Test
    void shouldRefuseAPortOutOfRange() {
        CommandRun run = view("--bootstrap-servers", NOWHERE, "--port", "70000");

        assertEquals(2, run.exit());
        assertEquals(
                List.of("canvasflow view: expected --port between 0 and 65535 but found 70000"),
                run.errLines());
    }

    @Test
    void shouldTakeTheJoinSizeMasksTakesAndRefuseABadOne() {
        CommandRun run = view("--bootstrap-servers", NOWHERE, "--join-frames", "0");

        assertEquals(2, run.exit());
        assertEquals(List.of("canvasflow view: --join-frames must be >= 1, got 0"), run.errLines());
    }

    @Test
    void shouldRefuseAJoinMemoryOutsideOneMebibyteToHalfTheHeap() {
        // Given a join budget of more than half of this JVM's heap
        long most = Runtime.getRuntime().maxMemory() / 2;
        String tooMuch = ((most >> 20) + 1) + "m";

        // When view starts with it, then it is refused in one sentence before any connection
        CommandRun run = view("--bootstrap-servers", NOWHERE, "--join-memory", tooMuch);

        assertEquals(2, run.exit());
        assertEquals(
                List.of(
                        "canvasflow view: --join-memory must be from 1m to "
                                + (most >> 20)
                                + "m (half of this JVM's heap; more with CANVASFLOW_HEAP), got "
                                + tooMuch),
                run.errLines());
    }

    @Test
    void shouldSayWhenThePortIsInUse() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            CommandRun run =
                    view(
                            "--bootstrap-servers",
                            NOWHERE,
                            "--port",
                            Integer.toString(taken.getLocalPort()));

            assertRefused(
                    run,
                    "canvasflow view: could not listen on 127.0.0.1:"
                            + taken.getLocalPort()
                            + ": ");
        }
    }

    @Test
    void shouldSayWhichConsumerPropertyKafkaRefused() throws Exception {
        // Given something that accepts connections, so that the check for a listener passes
        try (ServerSocket listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            String address = "127.0.0.1:" + listener.getLocalPort();
            CommandRun run =
                    view(
                            "--bootstrap-servers",
                            address,
                            "--port",
                            "0",
                            "--consumer-property",
                            "security.protocol=SASL_NOPE");

            // Then Kafka's refusal of the property is what view reports, before it connects
            assertRefused(
                    run,
                    "canvasflow view: the Kafka client settings for "
                            + address
                            + " make no client: Invalid value SASL_NOPE for configuration"
                            + " security.protocol");
        }
    }

    @Test
    void shouldRefuseAConsumerPropertyKafkaRefusesBeforeListeningOrConnecting() {
        // Given a property only a consumer has (the preflight's admin client ignores it)
        CommandRun run =
                view(
                        "--bootstrap-servers",
                        NOWHERE,
                        "--port",
                        "0",
                        "--consumer-property",
                        "fetch.max.bytes=abc");

        // Then view says what Kafka refuses, without a word of the page or the broker
        assertRefused(
                run,
                "canvasflow view: the Kafka client settings for "
                        + NOWHERE
                        + " make no client: Invalid value abc for configuration fetch.max.bytes");
        assertEquals("", run.out());
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS) // it used to retry for ever: fail, do not hang
    void shouldSayThatNoBrokerAnswersInsteadOfWaiting() {
        // Given bootstrap servers where nothing listens
        CommandRun run = view("--bootstrap-servers", NOWHERE, "--port", "0");

        // Then view says so in one line and exits, where it used to retry for ever
        assertRefused(run, "canvasflow view: ");
        assertTrue(run.err().contains(NOWHERE), run.err());
    }

    /** Exit 2 and one line on stderr that starts with this. */
    private static void assertRefused(CommandRun run, String start) {
        assertEquals(2, run.exit());
        assertEquals(1, run.errLines().size(), run.err());
        assertTrue(run.err().startsWith(start), run.err());
    }

    private static CommandRun view(String... args) {
        return CommandRun.of(new ViewCommand(), args);
    }
}
