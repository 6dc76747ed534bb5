package io.canvasflow.topology;

import io.canvasflow.schemas.KafkaClientFailure;
import java.io.IOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.LongFunction;
import java.util.function.LongSupplier;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.apache.kafka.clients.admin.DescribeTopicsOptions;
import org.apache.kafka.clients.admin.ListTopicsOptions;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.errors.AuthenticationException;
import org.apache.kafka.common.errors.AuthorizationException;
import org.apache.kafka.common.errors.SslAuthenticationException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.event.Level;

/**
 * Whether the Kafka cluster answers serve, and whether serve reaches each of its brokers, asked
 * every {@link #EVERY} while it runs and said in CanvasFlow's own lines: a WARN when a trouble
 * starts, another every {@link #SAY_AGAIN_MS} while it lasts, an INFO when it ends. Kafka's clients
 * say every connection that fails, each client for itself (about ten lines a second from serve's
 * six clients in an outage), so serve keeps their logger ({@link #NETWORK_CLIENT}) at ERROR and
 * says here what those lines told: the cluster not answering or refusing serve, and a broker that
 * serve cannot reach while the others answer (which any one broker's answer to {@code
 * describeCluster} would hide), a topic of serve's deleted, and a partition of serve's without a
 * leader.
 */
final class ClusterWatch {

    private static final Logger LOG = LoggerFactory.getLogger(ClusterWatch.class);

    /** The logger of Kafka's clients that warns at every connection that fails. */
    static final String NETWORK_CLIENT = "org.apache.kafka.clients.NetworkClient";

    /** How often the cluster is asked, and how long an answer may take. */
    static final Duration EVERY = Duration.ofSeconds(5);

    /** How long a connection to one broker may take to open. */
    static final Duration CONNECT = Duration.ofSeconds(2);

    /** How often a trouble that goes on is said again. */
    static final long SAY_AGAIN_MS = 60_000;

    /**
     * How many looks in a row must miss a broker before it is said: one miss may be a broker that
     * is stopping (a rolling restart) and about to leave the cluster's answer.
     */
    static final int MISSES = 2;

    /** A line to log. */
    record Line(Level level, String text) {}

    /** The cluster's brokers, as it answers {@code describeCluster}: where clients connect. */
    interface Brokers {
        Collection<Node> describe() throws ExecutionException, InterruptedException;
    }

    /** Why serve cannot reach a broker, or null when it can. */
    interface Reach {
        String problem(Node node);
    }

    /** How the cluster fails serve, as its first line, its reminders and its end say it. */
    private enum Failure {
        NO_ANSWER(
                "does not answer",
                "serve goes on by itself once it does, and says it again every minute until then",
                "answers again, after %d s without"),
        TLS(
                "fails the TLS handshake with serve",
                "a stream thread that fails it stops serve: correct the ssl.* Kafka properties or"
                        + " security.protocol, or the brokers' certificates; serve says it again"
                        + " every minute until then",
                "completes the TLS handshake with serve again, after %d s"),
        CREDENTIALS(
                "refuses serve's credentials",
                "a stream thread refused stops serve: correct the sasl.* and ssl.* Kafka"
                        + " properties, or the principal's credentials on the cluster; serve says it"
                        + " again every minute until then",
                "accepts serve's credentials again, after %d s"),
        ACCESS(
                "refuses serve",
                "a stream thread refused stops serve: grant the principal serve runs as the"
                        + " rights it lacks; serve says it again every minute until then",
                "accepts serve again, after %d s");

        final String state;
        final String then;
        final String end;

        Failure(String state, String then, String end) {
            this.state = state;
            this.then = then;
            this.end = end;
        }

        static Failure of(Throwable failure) {
            for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
                if (t instanceof SslAuthenticationException) {
                    return TLS;
                }
                if (t instanceof AuthenticationException) {
                    return CREDENTIALS;
                }
                if (t instanceof AuthorizationException) {
                    return ACCESS;
                }
            }
            return NO_ANSWER;
        }
    }

    /** "Kafka cluster at BOOTSTRAP", as every line begins. */
    private final String at;

    private final LongSupplier clock;
    private final Trouble clusterTrouble = new Trouble();
    private final Trouble brokersTrouble = new Trouble();
    private final Trouble topicsTrouble = new Trouble();
    private final Trouble leadersTrouble = new Trouble();
    private final Map<Integer, Integer> misses = new HashMap<>();
    private Set<Integer> saidUnreached = Set.of();
    private Set<String> leaderlessBefore = Set.of();

    /**
     * A watch that has seen nothing yet.
     *
     * @param cluster the bootstrap servers, as the lines name the cluster
     * @param clock milliseconds
     */
    ClusterWatch(String cluster, LongSupplier clock) {
        this.at = "Kafka cluster at " + cluster;
        this.clock = clock;
    }

    /**
     * Asks the cluster for its brokers, then tries to reach each.
     *
     * @param brokers the question
     * @param reach the try
     * @return the lines to log now
     */
    List<Line> look(Brokers brokers, Reach reach) throws InterruptedException {
        Collection<Node> nodes;
        try {
            nodes = brokers.describe();
        } catch (ExecutionException e) {
            // a broker missed just before is this outage, said as that; one said stays said
            misses.clear();
            return failed(e.getCause()).stream().toList();
        }
        List<Line> lines = new ArrayList<>();
        String was = clusterTrouble.key;
        long ended = clusterTrouble.end(clock.getAsLong());
        if (ended >= 0) {
            lines.add(
                    new Line(
                            Level.INFO,
                            at + " " + String.format(Failure.valueOf(was).end, ended / 1000)));
        }
        Map<Integer, String> unreached = new TreeMap<>();
        for (Node node : nodes) {
            String problem = reach.problem(node);
            int missed = problem == null ? 0 : misses.getOrDefault(node.id(), 0) + 1;
            misses.put(node.id(), missed);
            if (missed >= MISSES || missed > 0 && saidUnreached.contains(node.id())) {
                unreached.put(node.id(), node.id() + " at " + address(node) + " (" + problem + ")");
            }
        }
        misses.keySet().retainAll(nodes.stream().map(Node::id).toList());
        saidUnreached = Set.copyOf(unreached.keySet());
        brokers(unreached).ifPresent(lines::add);
        return lines;
    }

    /**
     * Whether serve's own topics are on the cluster: one deleted while serve runs stops its masks
     * (Kafka's producer warned once a partition, then nothing was said while masks waited, 150 s
     * watched), so it is said in serve's own lines, in the rhythm of the others.
     *
     * @param own serve's topics: frames, masks, dead letters
     * @param existing the topics the cluster lists
     * @return the line to log now, if one is due
     */
    Optional<Line> lookAtTopics(Collection<String> own, Set<String> existing) {
        List<String> missing = own.stream().filter(t -> !existing.contains(t)).toList();
        String which = named("topic", missing);
        return topicsTrouble.line(
                missing,
                clock.getAsLong(),
                at
                        + " no longer holds serve's "
                        + which
                        + " (deleted while serve runs?): no frame is segmented into a mask through"
                        + " it; create it again with its partitions and restart serve, which says"
                        + " so again every minute until then",
                s -> at + " still holds no " + which + " of serve's after " + s + " s",
                s -> at + " holds each of serve's topics again, after " + s + " s");
    }

    /**
     * Whether each partition of serve's topics has a leader: one without (its replicas' brokers
     * down, or an unclean election refused) holds its frames or masks while the cluster answers,
     * and Kafka's metadata WARN that says it is hidden with the rest of {@link #NETWORK_CLIENT}'s.
     *
     * <p>A partition is said at the second look in a row that finds it without (a leader moves in a
     * rolling restart, and a topic just created has none for a moment).
     *
     * @param now serve's partitions that have no leader now, as topic-partition names, in order
     * @return the line to log now, if one is due
     */
    Optional<Line> lookAtLeaders(List<String> now) {
        List<String> leaderless = now.stream().filter(leaderlessBefore::contains).toList();
        leaderlessBefore = Set.copyOf(now);
        String which = named("partition", leaderless);
        return leadersTrouble.line(
                leaderless,
                clock.getAsLong(),
                at
                        + " has no leader for serve's "
                        + which
                        + " (its replicas' brokers down?): its frames and masks wait until one is"
                        + " elected, and serve says so again every minute until then",
                s -> at + " still has no leader for serve's " + which + " after " + s + " s",
                s -> at + " has a leader for each of serve's partitions again, after " + s + " s");
    }

    /** The partitions of these topics without a leader, as topic-partition names, in order. */
    static List<String> leaderless(Collection<TopicDescription> topics) {
        return topics.stream()
                .flatMap(
                        t ->
                                t.partitions().stream()
                                        .filter(p -> p.leader() == null || p.leader().isEmpty())
                                        .map(p -> t.name() + "-" + p.partition()))
                .sorted()
                .toList();
    }

    private Optional<Line> failed(Throwable failure) {
        Failure kind = Failure.of(failure);
        String why =
                failure instanceof org.apache.kafka.common.errors.TimeoutException
                        ? "no broker answered within " + EVERY.toSeconds() + " s"
                        : failure instanceof RuntimeException r
                                ? KafkaClientFailure.describe(r)
                                : String.valueOf(failure);
        long now = clock.getAsLong();
        long said = clusterTrouble.on(kind.name(), now);
        if (said == Trouble.STARTS) {
            return Optional.of(
                    new Line(Level.WARN, at + " " + kind.state + " (" + why + "); " + kind.then));
        }
        if (said == Trouble.NOTHING) {
            return Optional.empty();
        }
        return Optional.of(
                new Line(
                        Level.WARN,
                        at
                                + " still "
                                + kind.state
                                + " after "
                                + said / 1000
                                + " s ("
                                + why
                                + ")"));
    }

    /** The line about the brokers serve cannot reach while the cluster answers, if one is due. */
    private Optional<Line> brokers(Map<Integer, String> unreached) {
        String which = named("broker", unreached.values());
        return brokersTrouble.line(
                unreached.keySet(),
                clock.getAsLong(),
                at
                        + " answers, but serve cannot reach its "
                        + which
                        + "; its reads and writes of the partitions "
                        + (unreached.size() == 1 ? "it leads" : "they lead")
                        + " wait until it can, and it says so again every minute until then",
                s -> at + ": serve still cannot reach its " + which + " after " + s + " s",
                s -> at + ": serve reaches each of its brokers again, after " + s + " s");
    }

    /** "topic masks", "topics frames, masks": the noun, plural for more than one, and the names. */
    private static String named(String noun, Collection<String> names) {
        return noun + (names.size() == 1 ? " " : "s ") + String.join(", ", names);
    }

    /**
     * Why a TCP connection to the broker, the one serve's clients open to it, does not open. Each
     * address its host name resolves to is tried in turn, as Kafka's clients do by default ({@code
     * client.dns.lookup=use_all_dns_ips}): one that opens is enough. (The look-up itself has the
     * system resolver's time limit.)
     *
     * @param node a broker, at the host and port it advertises
     * @return the reason in a few words (the last address's), or null when one opens
     */
    static String connect(Node node) {
        InetAddress[] addresses;
        try {
            addresses = InetAddress.getAllByName(node.host());
        } catch (UnknownHostException e) {
            return "its host name does not resolve";
        }
        String problem = "no address";
        for (InetAddress address : addresses) {
            try (Socket socket = new Socket()) {
                socket.connect(
                        new InetSocketAddress(address, node.port()), (int) CONNECT.toMillis());
                return null;
            } catch (SocketTimeoutException e) {
                problem = "no connection within " + CONNECT.toSeconds() + " s";
            } catch (ConnectException e) {
                problem = "connection refused";
            } catch (IOException | IllegalArgumentException e) {
                problem = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
            }
        }
        return problem;
    }

    /** host:port, with an IPv6 address in brackets ([fd00::7]:9092), as Kafka writes it. */
    private static String address(Node node) {
        return (node.host().contains(":") ? "[" + node.host() + "]" : node.host())
                + ":"
                + node.port();
    }

    /**
     * Watches the cluster in a daemon thread until {@code stopped} completes.
     *
     * @param config the settings: the bootstrap servers and the Kafka client properties
     * @param stopped completes when serve stops
     */
    static void start(CanvasFlowConfig config, CompletableFuture<?> stopped) {
        Thread thread = new Thread(() -> run(config, stopped), "canvasflow-cluster-watch");
        thread.setDaemon(true);
        thread.start();
    }

    private static void run(CanvasFlowConfig config, CompletableFuture<?> stopped) {
        ClusterWatch watch = new ClusterWatch(config.bootstrapServers(), System::currentTimeMillis);
        Map<String, Object> props = new HashMap<>(FollowedModels.clientProperties(config));
        props.keySet().retainAll(AdminClientConfig.configNames());
        try (Admin admin = Admin.create(props)) {
            DescribeClusterOptions options =
                    new DescribeClusterOptions().timeoutMs((int) EVERY.toMillis());
            List<String> own =
                    List.of(config.framesTopic(), config.masksTopic(), config.dlqTopic());
            ListTopicsOptions listing = new ListTopicsOptions().timeoutMs((int) EVERY.toMillis());
            DescribeTopicsOptions describing =
                    new DescribeTopicsOptions().timeoutMs((int) EVERY.toMillis());
            while (!stopped.isDone()) {
                List<Line> lines =
                        new ArrayList<>(
                                watch.look(
                                        () -> admin.describeCluster(options).nodes().get(),
                                        ClusterWatch::connect));
                try {
                    Set<String> existing = admin.listTopics(listing).names().get();
                    watch.lookAtTopics(own, existing).ifPresent(lines::add);
                    List<String> present = own.stream().filter(existing::contains).toList();
                    watch.lookAtLeaders(
                                    leaderless(
                                            admin.describeTopics(present, describing)
                                                    .allTopicNames()
                                                    .get()
                                                    .values()))
                            .ifPresent(lines::add);
                } catch (ExecutionException e) {
                    // the cluster does not answer, or refuses: the look above says so
                }
                for (Line line : lines) {
                    LOG.atLevel(line.level()).log(line.text());
                }
                try {
                    stopped.get(EVERY.toMillis(), TimeUnit.MILLISECONDS);
                } catch (java.util.concurrent.TimeoutException e) {
                    // time to ask again
                }
            }
        } catch (KafkaException e) {
            // serve's start made clients of the same properties: not expected
            LOG.warn("no watch on the Kafka cluster: {}", KafkaClientFailure.describe(e));
        } catch (InterruptedException | ExecutionException e) {
            Thread.currentThread().interrupt(); // serve is stopping
        }
    }

    /**
     * One trouble: said when it starts or becomes another, again every {@link #SAY_AGAIN_MS} while
     * it lasts, and when it ends.
     */
    private static final class Trouble {

        static final long STARTS = 0;
        static final long NOTHING = -1;

        private String key;
        private long sinceMs;
        private long saidMs;

        /**
         * @return {@link #STARTS} when it starts or becomes another now, how long it has lasted
         *     when a reminder is due, else {@link #NOTHING}
         */
        long on(String key, long now) {
            if (!key.equals(this.key)) {
                this.key = key;
                sinceMs = now;
                saidMs = now;
                return STARTS;
            }
            if (now - saidMs < SAY_AGAIN_MS) {
                return NOTHING;
            }
            saidMs = now;
            return now - sinceMs;
        }

        /**
         * The line this trouble calls for now: its first, a reminder of how long it has lasted, or
         * its end; or none.
         *
         * @param what what is wrong now (another set is another trouble), or empty when nothing is
         * @param starts the WARN that starts it
         * @param still the reminder, from the seconds it has lasted
         * @param ends the INFO that ends it, from the seconds it lasted
         */
        Optional<Line> line(
                Collection<?> what,
                long now,
                String starts,
                LongFunction<String> still,
                LongFunction<String> ends) {
            if (what.isEmpty()) {
                long lasted = end(now);
                return lasted < 0
                        ? Optional.empty()
                        : Optional.of(new Line(Level.INFO, ends.apply(lasted / 1000)));
            }
            long said = on(what.toString(), now);
            if (said == STARTS) {
                return Optional.of(new Line(Level.WARN, starts));
            }
            return said == NOTHING
                    ? Optional.empty()
                    : Optional.of(new Line(Level.WARN, still.apply(said / 1000)));
        }

        /**
         * @return how long it lasted, or {@link #NOTHING} when there was none
         */
        long end(long now) {
            if (key == null) {
                return NOTHING;
            }
            key = null;
            return now - sinceMs;
        }
    }
}
