package io.canvasflow.cli.options;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Pattern;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.apache.kafka.common.errors.UnsupportedVersionException;

/**
 * What a command checks before it starts anything: that the cluster its settings name answers, and
 * that the topics it needs exist. Each failure is one sentence that names the address or the topic
 * and says what to do; the command prints it and exits with status 2.
 *
 * <p>First the key and trust stores an SSL protocol names (see {@link ClientSettingsProblems}),
 * then a plain TCP connection to each bootstrap address: when nothing listens, that answers at
 * once, without the Kafka client's reconnect warnings. Then the Kafka admin API, within the
 * timeout, for the cluster and the topics; settings Kafka makes no client from are one sentence,
 * too.
 */
public final class KafkaPreflight {

    /** How long a command waits for the cluster by default. */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(10);

    /**
     * A listener's scheme before an address, as Kafka's clients take it ({@code
     * Utils.HOST_PORT_PATTERN} in kafka-clients skips it): {@code PLAINTEXT://}, {@code
     * SASL_SSL://}...
     */
    private static final Pattern SCHEME = Pattern.compile("^[0-9a-zA-Z\\-%._]*://");

    /** A check that failed, with its one sentence. */
    public static final class FailedException extends Exception {
        FailedException(String message) {
            super(message);
        }
    }

    private KafkaPreflight() {}

    /**
     * What the check found.
     *
     * @param brokers the brokers the cluster has registered, fenced ones included
     * @param partitions topic name to partition count, for the topics looked up that exist
     */
    public record Cluster(int brokers, Map<String, Integer> partitions) {}

    /**
     * Checks that the cluster answers and returns the partition counts of the topics that exist.
     *
     * @param client client properties: bootstrap servers and any security settings
     * @param topics the topics to look up
     * @param timeout how long to wait for the cluster
     * @return the brokers, and the partition counts of the topics that exist
     * @throws FailedException when a key or trust store is missing, nothing answers at the
     *     bootstrap addresses, or the client settings make no Kafka client (a SASL protocol without
     *     a JAAS login, for example)
     */
    public static Cluster check(Map<String, Object> client, List<String> topics, Duration timeout)
            throws FailedException {
        String servers = String.valueOf(client.get(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG));
        String missingStore = ClientSettingsProblems.missingStoreFile(client);
        if (missingStore != null) {
            throw new FailedException(missingStore);
        }
        requireListener(servers, timeout, speaksPlaintext(client));
        Map<String, Object> config = new HashMap<>(client);
        config.keySet().retainAll(AdminClientConfig.configNames());
        int ms = (int) Math.max(1000, timeout.toMillis());
        config.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, ms);
        config.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, ms);
        Admin created;
        try {
            created = Admin.create(config);
        } catch (KafkaException e) {
            // Every client the command would make fails the same way, with a stack trace.
            throw new FailedException(ClientSettingsProblems.refused(servers, e, config));
        }
        try (Admin admin = created) {
            int brokers = registeredBrokers(admin, ms);
            Map<String, Integer> partitions = new TreeMap<>();
            for (String topic : topics) {
                try {
                    TopicDescription d =
                            admin.describeTopics(List.of(topic))
                                    .allTopicNames()
                                    .get(ms, TimeUnit.MILLISECONDS)
                                    .get(topic);
                    partitions.put(topic, d.partitions().size());
                } catch (ExecutionException e) {
                    if (!(e.getCause() instanceof UnknownTopicOrPartitionException)) {
                        throw new FailedException(
                                "cannot describe topic "
                                        + topic
                                        + " at "
                                        + servers
                                        + ": "
                                        + e.getCause().getMessage());
                    }
                }
            }
            return new Cluster(brokers, partitions);
        } catch (TimeoutException e) {
            throw noBroker(servers, timeout);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof org.apache.kafka.common.errors.TimeoutException) {
                // the admin client's own timeout: nothing there spoke Kafka to it
                throw noBroker(servers, timeout);
            }
            throw new FailedException(
                    "the Kafka cluster at " + servers + " refused: " + e.getCause().getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new FailedException("interrupted while checking Kafka at " + servers);
        }
    }

    /**
     * Checks that the cluster answers and that every topic exists.
     *
     * @param client client properties
     * @param topics the topics that must exist
     * @param timeout how long to wait for the cluster
     * @param howToCreate what to say to create a missing topic, e.g. "pass --create-topics"
     * @return the brokers, and the partition count of each topic
     * @throws FailedException naming the address or the first missing topic
     */
    public static Cluster requireTopics(
            Map<String, Object> client, List<String> topics, Duration timeout, String howToCreate)
            throws FailedException {
        return requireTopics(client, topics, List.of(), timeout, howToCreate);
    }

    /**
     * Checks that the cluster answers and that every topic exists, and describes some more that may
     * exist, in the same round trip.
     *
     * @param client client properties
     * @param topics the topics that must exist
     * @param mayExist topics whose partition counts are wanted where they exist
     * @param timeout how long to wait for the cluster
     * @param howToCreate what to say to create a missing topic, e.g. "pass --create-topics"
     * @return the brokers, and the partition count of each topic that exists
     * @throws FailedException naming the address or the first missing topic
     */
    public static Cluster requireTopics(
            Map<String, Object> client,
            List<String> topics,
            List<String> mayExist,
            Duration timeout,
            String howToCreate)
            throws FailedException {
        List<String> described = new ArrayList<>(topics);
        mayExist.stream().filter(t -> !described.contains(t)).forEach(described::add);
        Cluster found = check(client, described, timeout);
        List<String> missing = new ArrayList<>(topics);
        missing.removeAll(found.partitions().keySet());
        if (!missing.isEmpty()) {
            throw new FailedException(
                    (missing.size() == 1 ? "topic " : "topics ")
                            + String.join(", ", missing)
                            + (missing.size() == 1 ? " does" : " do")
                            + " not exist at "
                            + client.get(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG)
                            + "; "
                            + howToCreate);
        }
        return found;
    }

    /**
     * Fails at once when no bootstrap address accepts a TCP connection, or when one that does
     * answers in another protocol than Kafka's (asked only where the client speaks Kafka's protocol
     * in the clear). Every address is read before any is tried, so that a bad one after a good one
     * is named here and not by the Kafka client (with a WARN line first, for an empty one).
     */
    private static void requireListener(String servers, Duration timeout, boolean plaintext)
            throws FailedException {
        int ms = (int) Math.min(Math.max(timeout.toMillis(), 100), 5000);
        for (Address address : addresses(servers)) {
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress(address.host(), address.port()), ms);
                if (plaintext) {
                    requireKafkaProtocol(socket, address.given());
                }
                return;
            } catch (IOException e) {
                // try the next address
            }
        }
        throw new FailedException(
                "no Kafka broker at "
                        + servers
                        + ": nothing accepts connections there (start one with `canvasflow"
                        + " broker`, or pass the address of your cluster with"
                        + " --bootstrap-servers)");
    }

    /** One bootstrap address: as given, and the host and port a socket connects to. */
    private record Address(String given, String host, int port) {}

    /**
     * The bootstrap addresses, comma-separated as Kafka's clients read them, each HOST:PORT with
     * perhaps a listener's scheme before it.
     */
    private static List<Address> addresses(String servers) throws FailedException {
        String[] parts = servers.split(",", -1);
        List<Address> addresses = new ArrayList<>();
        for (int i = 0; i < parts.length; i++) {
            String trimmed = parts[i].trim();
            if (trimmed.isEmpty() && parts.length > 1) {
                throw new FailedException(
                        "bootstrap servers \"" + servers + "\" " + emptyAddress(i, parts.length));
            }
            if (trimmed.chars().anyMatch(Character::isWhitespace)) {
                throw new FailedException(
                        "bootstrap servers \""
                                + servers
                                + "\" are not HOST:PORT[,HOST:PORT...]; separate the addresses"
                                + " with commas");
            }
            String hostPort = SCHEME.matcher(trimmed).replaceFirst("");
            int colon = hostPort.lastIndexOf(':');
            if (colon <= 0 || colon == hostPort.length() - 1) {
                throw new FailedException("bootstrap server \"" + trimmed + "\" is not HOST:PORT");
            }
            int port;
            try {
                port = Integer.parseInt(hostPort.substring(colon + 1));
            } catch (NumberFormatException e) {
                throw new FailedException(
                        "bootstrap server \"" + trimmed + "\" has no port number");
            }
            if (port < 1 || port > 65535) {
                throw new FailedException(
                        "bootstrap server \""
                                + trimmed
                                + "\" has a port outside 1-65535; give HOST:PORT of a broker");
            }
            String host = hostPort.substring(0, colon).replace("[", "").replace("]", "");
            addresses.add(new Address(trimmed, host, port));
        }
        return addresses;
    }

    /**
     * Where the empty address of a list is, and what to do: Kafka's clients refuse any, a trailing
     * comma too ("Configuration 'bootstrap.servers' values must not be empty", kafka-clients 4.3),
     * and the commands would say so only after this check.
     */
    private static String emptyAddress(int index, int count) {
        String remove = "; remove it (Kafka's clients take no empty address)";
        if (index == 0) {
            return "begin with a comma" + remove;
        }
        if (index == count - 1) {
            return "end with a comma" + remove;
        }
        return "have an empty address between commas; give HOST:PORT[,HOST:PORT...] with nothing"
                + " empty";
    }

    /** Whether the client speaks Kafka's protocol unencrypted (PLAINTEXT or SASL_PLAINTEXT). */
    private static boolean speaksPlaintext(Map<String, Object> client) {
        Object protocol = client.get(CommonClientConfigs.SECURITY_PROTOCOL_CONFIG);
        String name =
                protocol == null
                        ? "PLAINTEXT"
                        : protocol.toString().trim().toUpperCase(java.util.Locale.ROOT);
        return name.equals("PLAINTEXT") || name.equals("SASL_PLAINTEXT");
    }

    /**
     * Asks the listener for its API versions (request version 0, which every broker answers, before
     * any SASL login too) and refuses an answer that is not Kafka's: an HTTP server's "HTTP/1.1
     * 400" read as a response size made the admin client allocate 1.2 GB and die of
     * OutOfMemoryError with a stack trace, or wait out its timeout. A server that has said nothing
     * after a second is sent the end of an HTTP request once: the JDK's HTTP server (serve's {@code
     * /health}, {@code view}) waits for the end of a line before it answers, and was waited out for
     * 10-22 s as "no Kafka broker answered". No answer after that, or a closed connection, says
     * nothing, and the admin client goes on to judge.
     */
    private static void requireKafkaProtocol(Socket socket, String address)
            throws FailedException, IOException {
        int correlationId = 0x43460001;
        ByteBuffer request = ByteBuffer.allocate(14);
        request.putInt(10).putShort((short) 18).putShort((short) 0).putInt(correlationId);
        request.putShort((short) -1); // no client id
        socket.getOutputStream().write(request.array());
        socket.setSoTimeout(1000);
        byte[] head = new byte[8];
        int read = 0;
        boolean nudged = false;
        while (read < head.length) {
            try {
                int n = socket.getInputStream().read(head, read, head.length - read);
                if (n < 0) {
                    return;
                }
                read += n;
            } catch (java.net.SocketTimeoutException e) {
                if (read > 0 || nudged) {
                    return;
                }
                // a broker slower than a second answers the request first, then closes on this
                socket.getOutputStream()
                        .write("\r\n\r\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
                nudged = true;
            }
        }
        ByteBuffer answer = ByteBuffer.wrap(head);
        int size = answer.getInt();
        if (size >= 4 && size <= 1 << 20 && answer.getInt() == correlationId) {
            return;
        }
        String said = new String(head, java.nio.charset.StandardCharsets.US_ASCII);
        boolean printable = said.chars().allMatch(c -> c >= 0x20 && c < 0x7f);
        throw new FailedException(
                "something at "
                        + address
                        + " answers, but not in Kafka's protocol"
                        + (printable ? " (it began \"" + said + "\": an HTTP server?)" : "")
                        + "; pass the address of a Kafka broker's listener with"
                        + " --bootstrap-servers");
    }

    /**
     * The brokers the cluster has registered, those down for a while (fenced) included, so that a
     * rolling restart of the cluster does not look like a smaller one; the live ones from a cluster
     * too old to say.
     */
    private static int registeredBrokers(Admin admin, int ms)
            throws InterruptedException, ExecutionException, TimeoutException {
        try {
            return admin.describeCluster(new DescribeClusterOptions().includeFencedBrokers(true))
                    .nodes()
                    .get(ms, TimeUnit.MILLISECONDS)
                    .size();
        } catch (ExecutionException e) {
            if (!(e.getCause() instanceof UnsupportedVersionException)) {
                throw e;
            }
            return admin.describeCluster().nodes().get(ms, TimeUnit.MILLISECONDS).size();
        }
    }

    private static FailedException noBroker(String servers, Duration timeout) {
        return new FailedException(
                "something listens at "
                        + servers
                        + " but no Kafka broker answered within "
                        + timeout.toSeconds()
                        + " s; check the address and the security settings");
    }
}
