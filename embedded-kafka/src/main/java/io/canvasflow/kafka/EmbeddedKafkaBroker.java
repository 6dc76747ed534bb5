package io.canvasflow.kafka;

import io.canvasflow.schemas.KafkaTopics;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.utils.Time;
import org.apache.kafka.common.utils.Utils;
import org.apache.kafka.metadata.storage.Formatter;
import org.apache.kafka.server.common.MetadataVersion;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real single-node Kafka cluster in this JVM: one KRaft process that is both broker and
 * controller, listening on two loopback ports.
 *
 * <pre>{@code
 * try (EmbeddedKafkaBroker kafka = EmbeddedKafkaBroker.builder().build().start()) {
 *     kafka.createTopics(Map.of("my-topic", 2));
 *     ... clients use kafka.bootstrapServers() ...
 * }
 * }</pre>
 *
 * <p>Both ports are chosen when the broker is built, so {@link #stop()} followed by {@link
 * #start()} brings the same broker back on the same ports with the same data (a "broker restart").
 * {@link #close()} stops it and deletes its data directory, unless that directory was given with
 * {@link Builder#optDataDir(Path)}, in which case the data is kept for a later broker.
 *
 * <p>Topics are never auto-created; one partition and replication factor one are the defaults, and
 * the internal topics (consumer offsets, transactions) are single-partition so that startup and the
 * first consumer group are fast.
 */
public final class EmbeddedKafkaBroker implements AutoCloseable {

    /** The broker's node id; it is also the only controller. */
    public static final int NODE_ID = 1;

    /** The largest record batch the broker accepts: 16 MiB, room for raw frames. */
    public static final int MAX_MESSAGE_BYTES = 16 * 1024 * 1024;

    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedKafkaBroker.class);
    private static final String HOST = "127.0.0.1";
    private static final String PLAIN_LISTENER = "PLAINTEXT";
    private static final String CONTROLLER_LISTENER = "CONTROLLER";

    /** How long the broker may take to start and to create its first topics. */
    private static final Duration STARTUP_TIMEOUT = Duration.ofSeconds(60);

    private final Path dataDir;
    private final boolean deleteDataDirOnClose;
    private final int brokerPort;
    private final int controllerPort;

    /** The hold on the data folder while the broker runs. */
    private DataDirClaim claim;

    private final Map<String, String> overrides;
    private final SaslPlainUser sasl;

    private KafkaRaftServer server;
    private boolean closed;

    private EmbeddedKafkaBroker(Builder builder, Path dataDir, boolean deleteDataDirOnClose) {
        this.dataDir = dataDir;
        this.deleteDataDirOnClose = deleteDataDirOnClose;
        this.brokerPort = builder.brokerPort;
        this.controllerPort = builder.controllerPort;
        this.overrides = Map.copyOf(builder.overrides);
        this.sasl = builder.sasl;
    }

    /**
     * Returns a builder with free loopback ports and a temporary data directory.
     *
     * @return a new builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Formats the data directory if it is new, starts the server and waits until clients can reach
     * it. Calling it on a running broker does nothing.
     *
     * @return this broker, for chaining
     * @throws DataDirRefusedException when another broker holds the data directory, or it holds
     *     other files and is not a broker's
     * @throws IllegalStateException when the broker is closed, or does not start in time
     */
    public synchronized EmbeddedKafkaBroker start() {
        if (closed) {
            throw new IllegalStateException(
                    "this embedded Kafka broker is closed; build a new one");
        }
        if (server != null) {
            return this;
        }
        long started = System.nanoTime();
        KafkaRaftServer starting = null;
        claim = DataDirClaim.claim(dataDir);
        try {
            Map<String, String> config = serverProperties();
            writeProperties(config, dataDir.resolve("server.properties"));
            formatIfNew();
            starting = new KafkaRaftServer(new KafkaConfig(config, false), Time.SYSTEM);
            starting.startup();
            awaitReady();
        } catch (Exception e) {
            if (starting != null) {
                shutdownQuietly(starting);
            }
            releaseClaim();
            throw new IllegalStateException(
                    String.format(
                            "the embedded Kafka broker did not start on %s (controller %s:%d, data"
                                    + " in %s): %s",
                            bootstrapServers(), HOST, controllerPort, dataDir, rootMessage(e)),
                    e);
        }
        server = starting;
        LOG.info(
                "Kafka broker ready at {} in {} ms (data in {})",
                bootstrapServers(),
                TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started),
                dataDir);
        return this;
    }

    /**
     * Shuts the server down, keeping its data and ports so that {@link #start()} can bring it back.
     * Calling it on a stopped broker does nothing.
     */
    public synchronized void stop() {
        if (server != null) {
            KafkaRaftServer stopping = server;
            server = null;
            shutdownQuietly(stopping);
            releaseClaim();
            LOG.info("Kafka broker at {} stopped", bootstrapServers());
        }
    }

    private void releaseClaim() {
        if (claim != null) {
            claim.close();
            claim = null;
        }
    }

    /**
     * Stops the broker and, unless the data directory was given to the builder, deletes it.
     * Idempotent.
     */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        stop();
        closed = true;
        if (deleteDataDirOnClose) {
            deleteRecursively(dataDir);
        }
    }

    /**
     * Tells whether the server is started and not stopped.
     *
     * @return true between {@link #start()} and {@link #stop()} or {@link #close()}
     */
    public synchronized boolean isRunning() {
        return server != null;
    }

    /**
     * Returns the address clients connect to.
     *
     * @return {@code 127.0.0.1:port} of the broker listener
     */
    public String bootstrapServers() {
        return HOST + ":" + brokerPort;
    }

    /**
     * Returns the port of the broker (client) listener.
     *
     * @return the broker port
     */
    public int brokerPort() {
        return brokerPort;
    }

    /**
     * Returns the port of the KRaft controller listener.
     *
     * @return the controller port
     */
    public int controllerPort() {
        return controllerPort;
    }

    /**
     * Returns where the broker keeps its logs, metadata and {@code server.properties}.
     *
     * @return the data directory
     */
    public Path dataDir() {
        return dataDir;
    }

    /**
     * Returns the minimal client configuration for this broker, for an admin, producer, consumer or
     * Streams application to extend.
     *
     * @return a new mutable map holding {@code bootstrap.servers}
     */
    public Map<String, Object> clientConfig() {
        Map<String, Object> config = new LinkedHashMap<>();
        config.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
        config.putAll(securityConfig());
        return config;
    }

    /**
     * The client properties that authenticate to this broker: none for a plaintext broker, the
     * SASL/PLAIN settings and credentials for one built with {@link Builder#optSaslPlain}.
     *
     * @return a new map of {@code security.protocol}, {@code sasl.mechanism} and {@code
     *     sasl.jaas.config}, or an empty one
     */
    public Map<String, String> securityConfig() {
        return sasl == null ? new LinkedHashMap<>() : sasl.clientConfig();
    }

    /**
     * Creates topics with replication factor one and the broker's default topic configuration.
     * Topics that already exist are left as they are.
     *
     * @param partitionsByTopic the number of partitions of each topic, by topic name
     * @throws IllegalStateException when the broker is not running or a topic cannot be created
     */
    public void createTopics(Map<String, Integer> partitionsByTopic) {
        List<NewTopic> topics = new ArrayList<>();
        partitionsByTopic.forEach(
                (name, partitions) -> topics.add(new NewTopic(name, partitions, (short) 1)));
        createTopics(topics);
    }

    /**
     * Creates one topic with replication factor one and the given topic configuration. An existing
     * topic of that name is left as it is.
     *
     * @param name the topic name
     * @param partitions the number of partitions
     * @param configs topic configuration, for example {@code cleanup.policy}; may be empty
     * @throws IllegalStateException when the broker is not running or the topic cannot be created
     */
    public void createTopic(String name, int partitions, Map<String, String> configs) {
        createTopics(List.of(new NewTopic(name, partitions, (short) 1).configs(configs)));
    }

    private void createTopics(List<NewTopic> topics) {
        if (!isRunning()) {
            throw new IllegalStateException(
                    "cannot create topics: the embedded Kafka broker is not running");
        }
        KafkaTopics.createIfAbsent(clientConfig(), topics, STARTUP_TIMEOUT);
    }

    @Override
    public String toString() {
        return "EmbeddedKafkaBroker[" + bootstrapServers() + ", data " + dataDir + "]";
    }

    Map<String, String> serverProperties() {
        String brokerListener = sasl == null ? PLAIN_LISTENER : SaslPlainUser.LISTENER;
        Map<String, String> config = new LinkedHashMap<>();
        config.put("process.roles", "broker,controller");
        config.put("node.id", Integer.toString(NODE_ID));
        // A static single-voter quorum: the node elects itself as soon as it starts.
        config.put("controller.quorum.voters", NODE_ID + "@" + HOST + ":" + controllerPort);
        config.put(
                "listeners",
                brokerListener
                        + "://"
                        + HOST
                        + ":"
                        + brokerPort
                        + ","
                        + CONTROLLER_LISTENER
                        + "://"
                        + HOST
                        + ":"
                        + controllerPort);
        config.put("advertised.listeners", brokerListener + "://" + HOST + ":" + brokerPort);
        config.put(
                "listener.security.protocol.map",
                brokerListener + ":" + brokerListener + "," + CONTROLLER_LISTENER + ":PLAINTEXT");
        config.put("controller.listener.names", CONTROLLER_LISTENER);
        config.put("inter.broker.listener.name", brokerListener);
        if (sasl != null) {
            config.putAll(sasl.brokerConfig());
        }
        config.put("log.dirs", dataDir.toString());
        config.put("metadata.log.dir", dataDir.toString());
        config.put("num.partitions", "1");
        config.put("default.replication.factor", "1");
        config.put("min.insync.replicas", "1");
        config.put("auto.create.topics.enable", "false");
        config.put("offsets.topic.replication.factor", "1");
        config.put("offsets.topic.num.partitions", "1");
        config.put("transaction.state.log.replication.factor", "1");
        config.put("transaction.state.log.min.isr", "1");
        config.put("transaction.state.log.num.partitions", "1");
        config.put("share.coordinator.state.topic.replication.factor", "1");
        config.put("share.coordinator.state.topic.min.isr", "1");
        config.put("group.initial.rebalance.delay.ms", "0");
        config.put("message.max.bytes", Integer.toString(MAX_MESSAGE_BYTES));
        config.put("replica.fetch.max.bytes", Integer.toString(MAX_MESSAGE_BYTES));
        // Half of the 2 s default: a start and a close took as long as at 250 ms (0.2-0.4 s each,
        // three runs each on this 2-core machine), where at 2 s a start took 0.5-0.8 s. Not less:
        // the controller gives a heartbeat half this interval in its queue, and past that logs an
        // ERROR ("controller event queue overloaded"), which at 250 ms a demo on a busy 2-core
        // machine printed.
        config.put("broker.heartbeat.interval.ms", "1000");
        // Modest thread pools and cleaner buffer: the host is shared with the tests.
        config.put("num.network.threads", "2");
        config.put("num.io.threads", "4");
        config.put("background.threads", "4");
        config.put("num.recovery.threads.per.data.dir", "1");
        config.put("log.cleaner.dedupe.buffer.size", Integer.toString(2 * 1024 * 1024));
        config.putAll(overrides);
        return config;
    }

    private void formatIfNew() throws Exception {
        if (Files.exists(dataDir.resolve("meta.properties"))) {
            LOG.debug("{} is already formatted; reusing its cluster", dataDir);
            return;
        }
        Formatter formatter = new Formatter();
        formatter.setPrintStream(new java.io.PrintStream(java.io.OutputStream.nullOutputStream()));
        formatter.setNodeId(NODE_ID);
        formatter.setClusterId(Uuid.randomUuid().toString());
        formatter.setDirectories(List.of(dataDir.toString()));
        formatter.setMetadataLogDirectory(dataDir.toString());
        formatter.setReleaseVersion(MetadataVersion.LATEST_PRODUCTION);
        formatter.setControllerListenerName(CONTROLLER_LISTENER);
        formatter.setIgnoreFormatted(false);
        formatter.run();
    }

    private void awaitReady() throws InterruptedException, TimeoutException {
        long deadline = System.nanoTime() + STARTUP_TIMEOUT.toNanos();
        Map<String, Object> config = clientConfig();
        config.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 2_000);
        config.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 2_000);
        try (Admin admin = Admin.create(config)) {
            Exception last = null;
            while (System.nanoTime() < deadline) {
                try {
                    if (!admin.describeCluster().nodes().get(2, TimeUnit.SECONDS).isEmpty()) {
                        return;
                    }
                } catch (ExecutionException | TimeoutException e) {
                    last = e;
                }
                Thread.sleep(50);
            }
            throw new TimeoutException(
                    "no broker answered within "
                            + STARTUP_TIMEOUT.toMillis()
                            + " ms"
                            + (last == null ? "" : " (last error: " + last.getMessage() + ")"));
        }
    }

    /**
     * The most specific message in a cause chain: Kafka wraps a bind failure three levels deep
     * under "Received a fatal error while waiting for ... Acceptors".
     */
    static String rootMessage(Throwable e) {
        List<Throwable> chain = new ArrayList<>();
        for (Throwable t = e; t != null && !chain.contains(t); t = t.getCause()) {
            chain.add(t);
        }
        for (int i = chain.size() - 1; i >= 0; i--) {
            String message = chain.get(i).getMessage();
            if (message == null) {
                continue;
            }
            // Prefer the parent when it already quotes this message with more context.
            if (i > 0) {
                String parent = chain.get(i - 1).getMessage();
                if (parent != null && parent.contains(message)) {
                    continue;
                }
            }
            return message;
        }
        return e.toString();
    }

    private static void shutdownQuietly(KafkaRaftServer server) {
        try {
            server.shutdown();
            server.awaitShutdown();
        } catch (RuntimeException e) {
            LOG.warn("error while shutting down the embedded Kafka broker", e);
        }
    }

    private static void writeProperties(Map<String, String> config, Path file) throws IOException {
        Properties properties = new Properties();
        properties.putAll(config);
        try (Writer writer = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            properties.store(
                    writer, "Written by CanvasFlow's EmbeddedKafkaBroker; for reference only");
        }
    }

    private static void deleteRecursively(Path dir) {
        try {
            Utils.delete(dir.toFile());
        } catch (IOException e) {
            LOG.warn("could not delete the embedded Kafka data directory {}", dir, e);
        }
    }

    /** A free loopback port other than {@code taken}; the OS may hand it out again later. */
    private static int freePort(int taken) {
        for (int attempt = 0; attempt < 10; attempt++) {
            try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName(HOST))) {
                if (socket.getLocalPort() != taken) {
                    return socket.getLocalPort();
                }
            } catch (IOException e) {
                throw new UncheckedIOException("could not find a free port on " + HOST, e);
            }
        }
        throw new UncheckedIOException(
                new IOException("could not find a second free port on " + HOST));
    }

    /**
     * Configures an {@link EmbeddedKafkaBroker}. Everything is optional: by default the broker gets
     * two free loopback ports and a temporary data directory deleted on close.
     */
    public static final class Builder {

        private Path dataDir;
        private int brokerPort;
        private int controllerPort;
        private final Map<String, String> overrides = new LinkedHashMap<>();
        private SaslPlainUser sasl;

        private Builder() {}

        /**
         * Makes clients authenticate with SASL/PLAIN over plaintext, as one user: a stand-in for a
         * secured cluster, to check that a command hands its security settings to every client it
         * makes. {@link EmbeddedKafkaBroker#securityConfig()} has the client side.
         *
         * @param user the user name
         * @param password its password
         * @return this builder
         * @throws IllegalArgumentException when the user is blank or either holds a quote
         */
        public Builder optSaslPlain(String user, String password) {
            this.sasl = new SaslPlainUser(user, password);
            return this;
        }

        /**
         * Keeps the broker's data in a given directory, which is created if missing, formatted if
         * new, reused if already formatted, and never deleted.
         *
         * @param dataDir the data directory
         * @return this builder
         */
        public Builder optDataDir(Path dataDir) {
            this.dataDir = Objects.requireNonNull(dataDir, "dataDir");
            return this;
        }

        /**
         * Uses fixed loopback ports instead of free ones, for example to restart a broker on a
         * persistent data directory where clients expect it. A port of 0 means "any free port".
         *
         * @param brokerPort the port clients connect to, or 0
         * @param controllerPort the port of the KRaft controller listener, or 0
         * @return this builder
         */
        public Builder optPorts(int brokerPort, int controllerPort) {
            this.brokerPort = brokerPort;
            this.controllerPort = controllerPort;
            return this;
        }

        /**
         * Overrides or adds one broker configuration property.
         *
         * @param key a broker property, for example {@code log.retention.ms}
         * @param value its value
         * @return this builder
         */
        public Builder optConfig(String key, String value) {
            overrides.put(
                    Objects.requireNonNull(key, "key"), Objects.requireNonNull(value, "value"));
            return this;
        }

        /**
         * Validates the settings, chooses free ports where none were given and creates the
         * temporary data directory where none was given. Nothing is started.
         *
         * @return the broker, not yet started
         * @throws IllegalArgumentException when a port is out of range or both ports are equal
         * @throws UncheckedIOException when no free port or temporary directory can be had
         */
        public EmbeddedKafkaBroker build() {
            if (brokerPort == 0) {
                brokerPort = freePort(controllerPort);
            }
            if (controllerPort == 0) {
                controllerPort = freePort(brokerPort);
            }
            if (!validPort(brokerPort) || !validPort(controllerPort)) {
                throw new IllegalArgumentException(
                        "expected broker and controller ports between 1 and 65535 but found "
                                + brokerPort
                                + " and "
                                + controllerPort);
            }
            if (brokerPort == controllerPort) {
                throw new IllegalArgumentException(
                        "expected two different ports but found " + brokerPort + " twice");
            }
            if (dataDir != null) {
                return new EmbeddedKafkaBroker(this, dataDir.toAbsolutePath(), false);
            }
            try {
                return new EmbeddedKafkaBroker(
                        this, Files.createTempDirectory("canvasflow-kafka-"), true);
            } catch (IOException e) {
                throw new UncheckedIOException(
                        "could not create a temporary Kafka data directory", e);
            }
        }

        private static boolean validPort(int port) {
            return port > 0 && port <= 65535;
        }
    }
}
