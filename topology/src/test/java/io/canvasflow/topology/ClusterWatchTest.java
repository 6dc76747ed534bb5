package io.canvasflow.topology;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class ClusterWatchTest {

    private final AtomicLong now = new AtomicLong(1_000_000);
    private final ClusterWatch watch = new ClusterWatch("kafka:9092", now::get);
    private final List<String> said = new ArrayList<>();

    @Test
    void shouldSayAnOutageWhenItStartsOnceAMinuteWhileItLastsAndWhenItEnds() {
        // Given a cluster that answers
        answered();

        // When it stops answering for 130 s, asked every 5 s, then answers again
        for (int s = 5; s <= 130; s += 5) {
            now.addAndGet(5_000);
            watch.unanswered("no broker answered within 5 s").ifPresent(said::add);
        }
        now.addAndGet(5_000);
        answered();
        answered();

        // Then it is said when it starts, after 60 and 120 s, and when it ends: four lines, not
        // one for each question
        assertEquals(
                List.of(
                        "Kafka cluster at kafka:9092 does not answer (no broker answered within 5"
                                + " s); serve goes on by itself once it does, and says it again"
                                + " every minute until then",
                        "Kafka cluster at kafka:9092 still does not answer after 60 s (no broker"
                                + " answered within 5 s)",
                        "Kafka cluster at kafka:9092 still does not answer after 120 s (no broker"
                                + " answered within 5 s)",
                        "Kafka cluster at kafka:9092 answers again, after 130 s without"),
                said);
    }

    @Test
    void shouldSayASecondOutageAsANewOne() {
        // Given an outage that ended
        watch.unanswered("refused").ifPresent(said::add);
        now.addAndGet(10_000);
        answered();

        // When the cluster stops answering again
        now.addAndGet(10_000);
        watch.unanswered("refused").ifPresent(said::add);

        // Then the second is said from its own start
        assertEquals(
                List.of(
                        "Kafka cluster at kafka:9092 does not answer (refused); serve goes on by"
                                + " itself once it does, and says it again every minute until"
                                + " then",
                        "Kafka cluster at kafka:9092 answers again, after 10 s without",
                        "Kafka cluster at kafka:9092 does not answer (refused); serve goes on by"
                                + " itself once it does, and says it again every minute until"
                                + " then"),
                said);
    }

    private void answered() {
        watch.answered().ifPresent(said::add);
    }
}
