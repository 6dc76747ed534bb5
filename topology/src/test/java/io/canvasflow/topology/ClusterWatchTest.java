package io.canvasflow.topology;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.canvasflow.topology.ClusterWatch.Line;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.TopicPartitionInfo;
import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.apache.kafka.common.errors.SslAuthenticationException;
import org.apache.kafka.common.errors.TimeoutException;
import org.junit.jupiter.api.Test;
import org.slf4j.event.Level;

class ClusterWatchTest {

    /** The line that starts an outage of the cluster at kafka:9092. */
    private static final String OUTAGE_TEXT =
            "Kafka cluster at kafka:9092 does not answer (no broker answered within 5 s); serve"
                    + " goes on by itself once it does, and says it again every minute until then";

    private static final ClusterWatch.Line OUTAGE = warn(OUTAGE_TEXT);

    private static final List<Node> BROKERS =
            List.of(new Node(1, "b1", 9092), new Node(2, "b2", 9092), new Node(3, "b3", 9092));

    private static final ClusterWatch.Reach EVERY_BROKER = node -> null;

    private final AtomicLong now = new AtomicLong(1_000_000);
    private final ClusterWatch watch = new ClusterWatch("kafka:9092", now::get);
    private final List<Line> said = new ArrayList<>();

    @Test
    void shouldSayAnOutageWhenItStartsOnceAMinuteWhileItLastsAndWhenItEnds() throws Exception {
        // Given a cluster that answers
        answered();

        // When it stops answering for 130 s, asked every 5 s, then answers again
        for (int s = 5; s <= 130; s += 5) {
            now.addAndGet(5_000);
            failed(new TimeoutException("Timed out waiting for a node assignment."));
        }
        now.addAndGet(5_000);
        answered();
        answered();

        // Then it is said when it starts, after 60 and 120 s, and when it ends: four lines, not
        // one for each question
        assertEquals(
                List.of(
                        OUTAGE,
                        warn(
                                "Kafka cluster at kafka:9092 still does not answer after 60 s (no"
                                        + " broker answered within 5 s)"),
                        warn(
                                "Kafka cluster at kafka:9092 still does not answer after 120 s (no"
                                        + " broker answered within 5 s)"),
                        info("Kafka cluster at kafka:9092 answers again, after 130 s without")),
                said);
    }

    @Test
    void shouldSayASecondOutageAsANewOne() throws Exception {
        // Given an outage that ended
        failed(new TimeoutException("timed out"));
        now.addAndGet(10_000);
        answered();

        // When the cluster stops answering again
        now.addAndGet(10_000);
        failed(new TimeoutException("timed out"));

        // Then the second is said from its own start
        assertEquals(
                List.of(
                        OUTAGE,
                        info("Kafka cluster at kafka:9092 answers again, after 10 s without"),
                        OUTAGE),
                said);
    }

    @Test
    void shouldSayABrokerServeCannotReachWhileTheClusterAnswers() throws Exception {
        // Given a cluster of three brokers that answers, of which serve cannot reach broker 2
        ClusterWatch.Reach notTwo = node -> node.id() == 2 ? "no connection within 2 s" : null;

        // When it is asked every 5 s for 130 s, then broker 2 is reachable again
        for (int s = 0; s <= 130; s += 5) {
            watch.look(() -> BROKERS, notTwo).forEach(said::add);
            now.addAndGet(5_000);
        }
        watch.look(() -> BROKERS, EVERY_BROKER).forEach(said::add);

        // Then broker 2 is named at its second miss, again once a minute, and when serve reaches
        // it again
        assertEquals(
                List.of(
                        warn(
                                "Kafka cluster at kafka:9092 answers, but serve cannot reach its"
                                        + " broker 2 at b2:9092 (no connection within 2 s); its"
                                        + " reads and writes of the partitions it leads wait until"
                                        + " it can, and it says so again every minute until then"),
                        warn(
                                "Kafka cluster at kafka:9092: serve still cannot reach its broker"
                                        + " 2 at b2:9092 (no connection within 2 s) after 60 s"),
                        warn(
                                "Kafka cluster at kafka:9092: serve still cannot reach its broker"
                                        + " 2 at b2:9092 (no connection within 2 s) after 120 s"),
                        info(
                                "Kafka cluster at kafka:9092: serve reaches each of its brokers"
                                        + " again, after 130 s")),
                said);
    }

    @Test
    void shouldSayATopicOfServesDeletedWhileItRunsUntilItIsThereAgain() {
        // Given serve's three topics, of which masks is deleted, then created again after 65 s
        List<String> own = List.of("frames", "masks", "frames-dlq");
        Set<String> withoutMasks = Set.of("frames", "frames-dlq", "other");
        List<Optional<Line>> lines = new ArrayList<>();

        // When the watch looks every 5 s
        for (int s = 0; s <= 65; s += 5) {
            lines.add(watch.lookAtTopics(own, withoutMasks));
            now.addAndGet(5_000);
        }
        lines.add(watch.lookAtTopics(own, Set.of("frames", "masks", "frames-dlq")));

        // Then it is said when it is found missing, after a minute, and when it is back
        assertEquals(
                List.of(
                        warn(
                                "Kafka cluster at kafka:9092 no longer holds serve's topic masks"
                                        + " (deleted while serve runs?): no frame is segmented into"
                                        + " a mask through it; create it again with its partitions"
                                        + " and restart serve, which says so again every minute"
                                        + " until then"),
                        warn(
                                "Kafka cluster at kafka:9092 still holds no topic masks of serve's"
                                        + " after 60 s"),
                        info(
                                "Kafka cluster at kafka:9092 holds each of serve's topics again,"
                                        + " after 70 s")),
                lines.stream().flatMap(Optional::stream).toList());
    }

    @Test
    void shouldSayServesPartitionsWithoutALeaderUntilEachHasOneAgain() {
        // Given masks partition 1 whose only replica's broker is down (Kafka's Node.noNode() as its
        // leader) and frames partition 0 with a leader
        Node up = new Node(1, "b1", 9092);
        List<TopicDescription> described =
                List.of(
                        topic("masks", partition(0, up), partition(1, Node.noNode())),
                        topic("frames", partition(0, up)));
        List<Optional<Line>> lines = new ArrayList<>();

        // When the watch looks every 5 s for 65 s, then the partition has a leader again
        for (int s = 0; s <= 65; s += 5) {
            lines.add(watch.lookAtLeaders(ClusterWatch.leaderless(described)));
            now.addAndGet(5_000);
        }
        lines.add(watch.lookAtLeaders(ClusterWatch.leaderless(List.of(topic("masks")))));

        // Then it is said at the second look that finds it, a minute later, and when each
        // partition has a leader
        assertEquals(
                List.of(
                        warn(
                                "Kafka cluster at kafka:9092 has no leader for serve's partition"
                                        + " masks-1 (its replicas' brokers down?): its frames and"
                                        + " masks wait until one is elected, and serve says so"
                                        + " again every minute until then"),
                        warn(
                                "Kafka cluster at kafka:9092 still has no leader for serve's"
                                        + " partition masks-1 after 60 s"),
                        info(
                                "Kafka cluster at kafka:9092 has a leader for each of serve's"
                                        + " partitions again, after 65 s")),
                lines.stream().flatMap(Optional::stream).toList());
    }

    private static TopicDescription topic(String name, TopicPartitionInfo... partitions) {
        return new TopicDescription(name, false, List.of(partitions));
    }

    private static TopicPartitionInfo partition(int partition, Node leader) {
        return new TopicPartitionInfo(partition, leader, List.of(), List.of());
    }

    @Test
    void shouldNotSayAPartitionWithoutALeaderForOneLookOnly() {
        // Given a partition without a leader at one look (a topic just created), with one at the
        // next
        List<String> once = List.of("masks-0");

        // When the watch looks twice
        Optional<Line> first = watch.lookAtLeaders(once);
        now.addAndGet(5_000);
        Optional<Line> second = watch.lookAtLeaders(List.of());

        // Then nothing is said
        assertEquals(List.of(Optional.empty(), Optional.empty()), List.of(first, second));
    }

    @Test
    void shouldWriteABrokersIpv6AddressInBrackets() throws Exception {
        // Given a broker advertised at an IPv6 address that serve cannot reach
        List<Node> v6 = List.of(new Node(7, "fd00::7", 9092));
        ClusterWatch.Reach none = node -> "connection refused";

        // When it is missed twice
        watch.look(() -> v6, none).forEach(said::add);
        watch.look(() -> v6, none).forEach(said::add);

        // Then its address is written as Kafka writes it, not as fd00::7:9092
        assertEquals(1, said.size(), said.toString());
        assertTrue(said.get(0).text().contains("broker 7 at [fd00::7]:9092 ("), said.toString());
    }

    @Test
    void shouldNotSayABrokerMissedOnceAsTheClusterStopsAnswering() throws Exception {
        // Given a broker stopping: missed once just after the cluster answered
        ClusterWatch.Reach none = node -> "connection refused";
        watch.look(() -> List.of(new Node(1, "b1", 9092)), none).forEach(said::add);

        // When the cluster then stops answering, and answers again with the broker back
        now.addAndGet(5_000);
        failed(new TimeoutException("timed out"));
        now.addAndGet(5_000);
        answered();

        // Then it is said as the cluster's outage only
        assertEquals(
                List.of(
                        OUTAGE,
                        info("Kafka cluster at kafka:9092 answers again, after 5 s without")),
                said);
    }

    @Test
    void shouldSayRefusedCredentialsAsARefusalWithoutPromisingToGoOn() throws Exception {
        // Given a cluster that answers
        answered();

        // When it refuses serve's SASL credentials for 60 s, then accepts them
        for (int s = 0; s < 60; s += 5) {
            failed(
                    new SaslAuthenticationException(
                            "Authentication failed during authentication due to invalid"
                                    + " credentials with SASL mechanism SCRAM-SHA-256"));
            now.addAndGet(5_000);
        }
        failed(new SaslAuthenticationException("invalid credentials"));
        answered();

        // Then it is said as a refusal, with what to correct, and as accepted at the end
        assertEquals(
                List.of(
                        warn(
                                "Kafka cluster at kafka:9092 refuses serve's credentials"
                                        + " (Authentication failed during authentication due to"
                                        + " invalid credentials with SASL mechanism"
                                        + " SCRAM-SHA-256); a stream thread refused stops serve:"
                                        + " correct the sasl.* and ssl.* Kafka properties, or the"
                                        + " principal's credentials on the cluster; serve says it"
                                        + " again every minute until then"),
                        warn(
                                "Kafka cluster at kafka:9092 still refuses serve's credentials"
                                        + " after 60 s (invalid credentials)"),
                        info(
                                "Kafka cluster at kafka:9092 accepts serve's credentials again,"
                                        + " after 60 s")),
                said);
    }

    @Test
    void shouldSayAFailedTlsHandshakeAsOne() throws Exception {
        // When the cluster fails the TLS handshake
        failed(new SslAuthenticationException("SSL handshake failed"));

        // Then it is said as that
        assertEquals(
                List.of(
                        warn(
                                "Kafka cluster at kafka:9092 fails the TLS handshake with serve"
                                        + " (SSL handshake failed); a stream thread that fails it"
                                        + " stops serve: correct the ssl.* Kafka properties or"
                                        + " security.protocol, or the brokers' certificates; serve"
                                        + " says it again every minute until then")),
                said);
    }

    @Test
    void shouldReachABrokerThatListensAndNotOneThatRefuses() throws Exception {
        // Given a port that listens and one that does not
        int closed;
        try (ServerSocket gone = new ServerSocket(0)) {
            closed = gone.getLocalPort();
        }
        try (ServerSocket listening = new ServerSocket(0)) {
            // When serve tries to reach a broker at each
            List<String> problems =
                    Arrays.asList(
                            ClusterWatch.connect(
                                    new Node(1, "127.0.0.1", listening.getLocalPort())),
                            ClusterWatch.connect(new Node(2, "127.0.0.1", closed)));

            // Then the first is reached and the second refuses
            assertEquals(Arrays.asList(null, "connection refused"), problems);
        }
    }

    private void answered() throws InterruptedException {
        watch.look(() -> BROKERS, EVERY_BROKER).forEach(said::add);
    }

    private void failed(RuntimeException why) throws InterruptedException {
        watch.look(
                        () -> {
                            throw new ExecutionException(why);
                        },
                        EVERY_BROKER)
                .forEach(said::add);
    }

    private static Line warn(String text) {
        return new Line(Level.WARN, text);
    }

    private static Line info(String text) {
        return new Line(Level.INFO, text);
    }
}
