package io.canvasflow.cli.options;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.config.ConfigException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class KafkaPreflightTest {

    @Test
    void shouldSayInOneSentenceThatSecuritySettingsMakeNoClient() throws Exception {
        // Given something listening, and a SASL protocol with no JAAS login configured
        try (ServerSocket listener = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            String servers = "127.0.0.1:" + listener.getLocalPort();
            Map<String, Object> client =
                    Map.of("bootstrap.servers", servers, "security.protocol", "SASL_PLAINTEXT");

            // When the command checks the cluster
            KafkaPreflight.FailedException e =
                    assertThrows(
                            KafkaPreflight.FailedException.class,
                            () ->
                                    KafkaPreflight.requireTopics(
                                            client, List.of("frames"), Duration.ofSeconds(2), ""));

            // Then it is one sentence naming the address, Kafka's reason and what to check,
            // where each command's own client used to fail with a stack trace
            assertTrue(
                    e.getMessage()
                            .startsWith(
                                    "the Kafka client settings for "
                                            + servers
                                            + " make no client:"),
                    e.getMessage());
            assertTrue(e.getMessage().contains("JAAS"), e.getMessage());
            assertTrue(e.getMessage().endsWith("sasl.* and ssl.* settings"), e.getMessage());
            assertEquals(1, e.getMessage().lines().count(), e.getMessage());
        }
    }

    @Test
    void shouldSayInOneSentenceThatAnHttpServerIsNoBroker() throws Exception {
        // Given an HTTP server where a broker was expected (a Schema Registry's or REST proxy's
        // port is an easy slip), which answers anything with a 400
        try (ServerSocket http = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            Thread server =
                    new Thread(
                            () -> {
                                try (java.net.Socket s = http.accept()) {
                                    s.getInputStream().read(new byte[64]);
                                    s.getOutputStream()
                                            .write(
                                                    "HTTP/1.1 400 Bad Request\r\n\r\n"
                                                            .getBytes(
                                                                    java.nio.charset
                                                                            .StandardCharsets
                                                                            .US_ASCII));
                                } catch (java.io.IOException e) {
                                    // the test says what went wrong
                                }
                            });
            server.start();
            String servers = "127.0.0.1:" + http.getLocalPort();

            // When a command checks the cluster
            long start = System.nanoTime();
            String refusal = checkRefused(servers);
            server.join();

            // Then it says so at once, where the admin client read "HTTP" as a 1.2 GB response
            // and died of OutOfMemoryError, or waited out its timeout
            assertEquals(httpServerAt(servers), refusal);
            assertTrue(System.nanoTime() - start < 5_000_000_000L);
        }
    }

    /**
     * The JDK's own HTTP server, as serve's /health and view run it, says nothing to Kafka's
     * request until a line ends (commands waited 10-22 s, then said no broker answered). An address
     * with its listener's scheme, which Kafka's clients accept, must reach it too: the scheme was
     * taken for part of the host name, and nothing was said to accept connections.
     */
    @ParameterizedTest
    @ValueSource(strings = {"", "PLAINTEXT://"})
    void shouldSayThatTheJdksHttpServerIsNoBrokerThoughItWaitsForALine(String scheme)
            throws Exception {
        // Given the JDK's own HTTP server
        com.sun.net.httpserver.HttpServer http =
                com.sun.net.httpserver.HttpServer.create(
                        new java.net.InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        http.start();
        try {
            String servers = scheme + "127.0.0.1:" + http.getAddress().getPort();

            // When a command checks the cluster at its address, with or without a scheme
            String refusal = checkRefused(servers);

            // Then it connected there and says that an HTTP server answers there
            assertEquals(httpServerAt(servers), refusal);
        } finally {
            http.stop(0);
        }
    }

    /** What the preflight of a command against {@code servers} refuses with. */
    private static String checkRefused(String servers) {
        return assertThrows(
                        KafkaPreflight.FailedException.class,
                        () ->
                                KafkaPreflight.check(
                                        Map.of("bootstrap.servers", servers),
                                        List.of(),
                                        Duration.ofSeconds(10)))
                .getMessage();
    }

    /** The sentence for an HTTP server where a broker was expected. */
    private static String httpServerAt(String servers) {
        return "something at "
                + servers
                + " answers, but not in Kafka's protocol (it began \"HTTP/1.1\": an HTTP"
                + " server?); pass the address of a Kafka broker's listener with"
                + " --bootstrap-servers";
    }

    @Test
    void shouldNameAStoreFileThatIsNotThereBeforeKafkaLogsItsOwnTrace() {
        Map<String, Object> client =
                Map.of(
                        "bootstrap.servers", "127.0.0.1:1",
                        "security.protocol", "SSL",
                        "ssl.truststore.location", "/no/such/truststore.jks");

        String refusal = refusal(client);

        assertEquals(
                "ssl.truststore.location /no/such/truststore.jks is not a file this user can read;"
                        + " fix the path",
                refusal);
    }

    @Test
    void shouldLeaveStoresAloneWhenTheProtocolUsesNone() throws Exception {
        // A shared settings file may name a trust store this host lacks; PLAINTEXT never opens it
        int port = freePort();
        Map<String, Object> client =
                Map.of(
                        "bootstrap.servers", "127.0.0.1:" + port,
                        "security.protocol", "PLAINTEXT",
                        "ssl.truststore.location", "/no/such/truststore.jks");

        String refusal = refusal(client);

        assertTrue(refusal.startsWith("no Kafka broker at 127.0.0.1:" + port), refusal);
    }

    @Test
    void shouldReadAStorePathAsKafkaDoesWithSpacesAroundIt(@TempDir Path dir) throws Exception {
        Path store = Files.writeString(dir.resolve("truststore.p12"), "not really a store");
        int port = freePort();
        Map<String, Object> client =
                Map.of(
                        "bootstrap.servers", "127.0.0.1:" + port,
                        "security.protocol", "SSL",
                        "ssl.truststore.location", store + " ");

        String refusal = refusal(client);

        // the store is there, so the check goes on to the address
        assertTrue(refusal.startsWith("no Kafka broker at 127.0.0.1:" + port), refusal);
    }

    @Test
    void shouldKeepThePasswordsWordsOutOfKafkasRefusal() throws Exception {
        // Given a JAAS line whose unquoted password has a space: Kafka's parser quotes a word of it
        String refusal =
                refusalWithAListener(
                        Map.of(
                                "security.protocol",
                                "SASL_PLAINTEXT",
                                "sasl.mechanism",
                                "PLAIN",
                                "sasl.jaas.config",
                                "org.apache.kafka.common.security.plain.PlainLoginModule required"
                                        + " username=\"user\" password=swordfish tuna;"));

        assertTrue(refusal.contains("make no client: "), refusal);
        assertFalse(refusal.contains("swordfish"), refusal);
        assertFalse(refusal.contains("tuna"), refusal);
    }

    @Test
    void shouldSayAClassOfTheWrongKindIsWhatKafkaRefused() throws Exception {
        String refusal = refusalWithAListener(Map.of("metric.reporters", "java.lang.String"));

        assertTrue(refusal.contains("make no client: a class that is not the kind Kafka"), refusal);
        assertTrue(refusal.endsWith("check the client properties that name classes"), refusal);
    }

    /** What the check says of these client properties; it must refuse them. */
    private static String refusal(Map<String, Object> client) {
        return assertThrows(
                        KafkaPreflight.FailedException.class,
                        () -> KafkaPreflight.check(client, List.of(), Duration.ofSeconds(2)))
                .getMessage();
    }

    /**
     * What the check says of these client properties with something listening at their bootstrap
     * server, so that only the properties can be what it refuses.
     */
    private static String refusalWithAListener(Map<String, Object> properties) throws Exception {
        try (ServerSocket listener = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            Map<String, Object> client = new HashMap<>(properties);
            client.put("bootstrap.servers", "127.0.0.1:" + listener.getLocalPort());
            return refusal(client);
        }
    }

    private static int freePort() throws Exception {
        try (ServerSocket free = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return free.getLocalPort();
        }
    }

    @Test
    void shouldSayNothingListensWhenNoBrokerIsThere() throws Exception {
        int port = freePort();
        Map<String, Object> client = Map.of("bootstrap.servers", "127.0.0.1:" + port);

        String refusal = refusal(client);

        assertTrue(refusal.startsWith("no Kafka broker at 127.0.0.1:" + port), refusal);
    }

    @Test
    void shouldRefuseABootstrapPortOutsideTheRangeInOneSentence() {
        // Given a port no socket can have (java.net threw its IllegalArgumentException through)
        KafkaPreflight.FailedException e =
                assertThrows(
                        KafkaPreflight.FailedException.class,
                        () ->
                                KafkaPreflight.requireTopics(
                                        Map.of("bootstrap.servers", "127.0.0.1:70000"),
                                        List.of(),
                                        Duration.ofSeconds(2),
                                        ""));

        assertEquals(
                "bootstrap server \"127.0.0.1:70000\" has a port outside 1-65535; give HOST:PORT"
                        + " of a broker",
                e.getMessage());
    }

    @Test
    void shouldRefuseAddressesSeparatedBySpacesOrWithAnEmptyOneInOneSentence() throws Exception {
        // Given something that accepts connections at the first address of each list
        try (ServerSocket listener = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            String first = "127.0.0.1:" + listener.getLocalPort();

            // When the addresses are separated by a space, or a comma has nothing after it
            Map<String, String> said = new java.util.LinkedHashMap<>();
            for (String servers : List.of(first + " 127.0.0.1:2", first + ",,127.0.0.1:2")) {
                said.put(servers, checkRefused(servers));
            }

            // Then each is one sentence saying how to write the list, before any client is made
            assertEquals(
                    Map.of(
                            first + " 127.0.0.1:2",
                            "bootstrap servers \""
                                    + first
                                    + " 127.0.0.1:2\" are not HOST:PORT[,HOST:PORT...]; separate"
                                    + " the addresses with commas",
                            first + ",,127.0.0.1:2",
                            "bootstrap servers \""
                                    + first
                                    + ",,127.0.0.1:2\" have an empty address between commas;"
                                    + " give HOST:PORT[,HOST:PORT...] with nothing empty"),
                    said);
        }
    }

    @Test
    void shouldSayAListThatBeginsOrEndsWithACommaSoAsKafkasClientsRefuseIt() throws Exception {
        // Given something that accepts connections at the address
        try (ServerSocket listener = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            String address = "127.0.0.1:" + listener.getLocalPort();

            // When the list ends with a comma, or begins with one
            Map<String, String> said = new java.util.LinkedHashMap<>();
            for (String servers : List.of(address + ",", "," + address)) {
                said.put(servers, checkRefused(servers));
            }

            // Then each is one sentence saying where the comma is; and Kafka's clients, which
            // the command makes next, refuse the trailing comma too
            String remove = "; remove it (Kafka's clients take no empty address)";
            assertEquals(
                    Map.of(
                            address + ",",
                            "bootstrap servers \"" + address + ",\" end with a comma" + remove,
                            "," + address,
                            "bootstrap servers \"," + address + "\" begin with a comma" + remove),
                    said);
            assertEquals(
                    "Configuration 'bootstrap.servers' values must not be empty.",
                    assertThrows(
                                    ConfigException.class,
                                    () ->
                                            new AdminClientConfig(
                                                    Map.of("bootstrap.servers", address + ",")))
                            .getMessage());
        }
    }
}
