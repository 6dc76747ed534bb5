package io.canvasflow.schemas;

import org.apache.kafka.common.errors.InvalidTopicException;
import org.apache.kafka.common.internals.Topic;

/**
 * Kafka's own rules for topic names, for every place a command or setting names a topic, so that a
 * bad name is refused before anything is asked of the cluster: which names Kafka takes, and which
 * two it cannot tell apart. Each caller adds only which option or setting is at fault.
 */
public final class TopicNames {

    /** The longest topic name Kafka takes. */
    public static final int MAX_LENGTH = 249;

    /** How a valid topic name reads, completing "must be ...". */
    public static final String RULE =
            "a Kafka topic name: 1 to "
                    + MAX_LENGTH
                    + " letters, digits, '.', '_' or '-', not '.' or '..'";

    private TopicNames() {}

    /**
     * Checks a name by Kafka's rule: ASCII letters, digits, '.', '_' and '-', 1 to 249 of them, not
     * '.' or '..'.
     *
     * @param name the topic name
     * @return null when Kafka takes it, else Kafka's sentence why not
     */
    public static String problem(String name) {
        try {
            Topic.validate(name);
            return null;
        } catch (InvalidTopicException e) {
            return e.getMessage();
        }
    }

    /**
     * Whether Kafka cannot tell two topic names apart: they are the same, or differ only in '.' and
     * '_', which collide in its metric names (a broker refuses the second of two such topics).
     *
     * @param a one topic name
     * @param b the other
     * @return whether they name one topic to Kafka
     */
    public static boolean collide(String a, String b) {
        return Topic.hasCollision(a, b);
    }
}
