package io.canvasflow.registry;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The registry topics' partitions that the follower's consumer is assigned, looked for again when
 * the follower asks: topics created since, partitions added to them, a topic deleted or hidden. The
 * follower thread's, but for {@link #assigned()}.
 *
 * <p>Kafka's listing of every topic leaves out, without a word, a topic the principal may not
 * describe. So a topic missing from the listing is asked for by name, hidden from the start as well
 * as since (a topic found before first leaves the assignment, its positions held). Kafka's consumer
 * (4.3) answers that from its cache while the cache holds the topic: while it is assigned, and
 * after until a metadata update (one follows a poll once another topic is still assigned; none
 * comes while nothing is assigned, as nothing is polled). That says nothing, and a later look asks
 * again ({@link #undecided()} until then). The broker says:
 *
 * <ul>
 *   <li>Not authorized (an ACL revoked): {@link #hidden()} says so until the listing shows the
 *       topic again. The follower counts that as failing, so {@code /health} reads DOWN after its
 *       grace. Shown again, the topic is the same data, read on from the positions held. (Left
 *       assigned, the consumer's polls fail once in a while and work in between: a failure streak
 *       ended every second or two and never lasted long enough to read DOWN.)
 *   <li>Unknown (deleted): one WARN. This is not a failure: like a registry never created, it is a
 *       state of the cluster that no retry or restart mends, and instances serve on with the models
 *       and assignments they read; DOWN would take every instance out of readiness at once for it.
 *       A topic created again under that name is new data, read from its beginning: the deleted
 *       topic's offsets mean nothing in it.
 * </ul>
 *
 * A topic deleted and created again between two looks, or while it was hidden, cannot be told from
 * the same topic here (the consumer's API has no topic ids): it is read on from the positions held,
 * or from its beginning where those are past its end ({@code auto.offset.reset}). With both topics
 * let go, the cache may answer until the listing shows one again: they stay undecided, looked at
 * every second, no failure (a failure streak going on goes on: a revoked ACL fails the polls first)
 * and no WARN.
 */
final class RegistryPartitions {

    private static final Logger LOG = LoggerFactory.getLogger(RegistryPartitions.class);
    private static final Duration METADATA_TIMEOUT = Duration.ofSeconds(5);

    private final Consumer<?, ?> consumer;
    private final List<String> topics;
    private final Set<String> found = new HashSet<>(); // listed once, not deleted since
    private final Map<String, String> hidden = new LinkedHashMap<>(); // topic, why
    private final Set<String> unsure = new HashSet<>(); // not listed, known to the cache only
    private final Map<TopicPartition, Long> heldPositions = new HashMap<>(); // hidden topics'

    /** Whether the topics' absence is still to be said: none was found yet, nor said absent. */
    private boolean absenceUnsaid = true;

    private volatile List<TopicPartition> assigned = List.of();

    /**
     * Nothing assigned yet.
     *
     * @param consumer the follower's consumer, assigned by this class only
     * @param topics the registry topics
     */
    RegistryPartitions(Consumer<?, ?> consumer, List<String> topics) {
        this.consumer = consumer;
        this.topics = List.copyOf(topics);
    }

    /** The partitions assigned now, by topic and partition; any thread. */
    List<TopicPartition> assigned() {
        return assigned;
    }

    /**
     * Why a registry topic cannot be read now, if one cannot: it is hidden from this principal.
     *
     * @return one line, or empty while none is hidden
     */
    Optional<String> hidden() {
        return hidden.isEmpty()
                ? Optional.empty()
                : Optional.of(String.join("; ", hidden.values()));
    }

    /**
     * Whether a topic found before is missing from the listing, and it is not known yet whether it
     * is hidden or deleted: the next look says.
     */
    boolean undecided() {
        return !unsure.isEmpty();
    }

    /**
     * Looks for the topics' partitions (metadata requests) and assigns the consumer those found,
     * where they changed: partitions new to it from their beginning, those of a topic shown again
     * from where they were.
     */
    void look() {
        Map<String, List<PartitionInfo>> listed = consumer.listTopics(METADATA_TIMEOUT);
        List<TopicPartition> next = new ArrayList<>();
        for (String topic : topics) {
            List<PartitionInfo> infos = listed.getOrDefault(topic, List.of());
            if (infos.isEmpty()) {
                // found before, or never: a topic hidden from the start is missing too
                askByName(topic);
                continue;
            }
            unsure.remove(topic);
            if (hidden.remove(topic) != null) {
                LOG.info("registry topic {} may be read again", topic);
            }
            found.add(topic);
            absenceUnsaid = false;
            infos.forEach(p -> next.add(new TopicPartition(topic, p.partition())));
        }
        next.sort(
                Comparator.comparing(TopicPartition::topic)
                        .thenComparingInt(TopicPartition::partition));
        if (!next.equals(assigned)) {
            assign(next);
        }
        if (absenceUnsaid && hidden.isEmpty() && unsure.isEmpty()) { // none listed: none exists
            LOG.info(
                    "topics {} do not exist yet: serving without models from Kafka until they do"
                            + " (`canvasflow models publish` creates them)",
                    topics);
            absenceUnsaid = false;
        }
    }

    /**
     * Whether a topic not listed is hidden, deleted or absent: a metadata request for it by name
     * (one every look while a registry topic does not exist).
     */
    private void askByName(String topic) {
        String why;
        try {
            List<PartitionInfo> byName = consumer.partitionsFor(topic, METADATA_TIMEOUT);
            if (byName != null && !byName.isEmpty()) {
                // Kafka's consumer (4.3) answers from its cache whenever that holds the topic,
                // assigned or not, and a topic let go stays in it until a metadata update (none
                // while nothing is assigned, as nothing is polled): that says nothing, hidden or
                // deleted. A later look decides.
                unsure.add(topic);
                return;
            }
            why = null;
        } catch (TopicAuthorizationException e) {
            why = "registry topic " + topic + " cannot be read: " + e;
        }
        unsure.remove(topic);
        if (why != null) {
            hidden.put(topic, why);
            return;
        }
        hidden.remove(topic);
        if (!found.remove(topic)) {
            return; // never found: does not exist yet
        }
        heldPositions.keySet().removeIf(p -> p.topic().equals(topic));
        LOG.warn(
                "registry topic {} was deleted: this instance keeps the models and assignments it"
                        + " read from it, and reads a topic created again under that name from its"
                        + " beginning",
                topic);
    }

    private void assign(List<TopicPartition> next) {
        List<TopicPartition> held = new ArrayList<>();
        for (TopicPartition leaving : assigned) {
            boolean mayComeBack =
                    hidden.containsKey(leaving.topic()) || unsure.contains(leaving.topic());
            if (!next.contains(leaving) && mayComeBack) {
                try {
                    heldPositions.put(leaving, consumer.position(leaving, Duration.ZERO));
                    held.add(leaving);
                } catch (RuntimeException e) {
                    // no position yet: read from its beginning when shown again
                }
            }
        }
        List<TopicPartition> added = new ArrayList<>(next);
        added.removeAll(assigned);
        Map<TopicPartition, Long> resumed = new LinkedHashMap<>();
        added.stream()
                .filter(heldPositions::containsKey)
                .forEach(p -> resumed.put(p, heldPositions.remove(p)));
        added.removeAll(resumed.keySet());
        if (!assigned.isEmpty() || !resumed.isEmpty()) {
            List<String> how = new ArrayList<>();
            if (!added.isEmpty()) {
                how.add("reading " + added + " from their beginning");
            }
            if (!held.isEmpty()) {
                how.add("the positions in " + held + " held, their topic no longer listed");
            }
            if (!resumed.isEmpty()) {
                how.add("reading on from where they were, at " + resumed);
            }
            LOG.info(
                    "registry partitions changed from {} to {}{}",
                    assigned,
                    next,
                    how.isEmpty() ? "" : ": " + String.join("; ", how));
        }
        consumer.assign(next);
        resumed.forEach(consumer::seek);
        // Never with an empty list, which Kafka reads as "every assigned partition": that would
        // read the other topic again from its start, announcing removed versions once more.
        if (!added.isEmpty()) {
            consumer.seekToBeginning(added);
        }
        assigned = List.copyOf(next);
    }
}
