package io.canvasflow.topology;

import static io.canvasflow.topology.CanvasFlowConfig.*;

import io.canvasflow.schemas.StoreNames;
import io.canvasflow.schemas.TopicNames;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The rules for the settings that name topics, as Kafka has them, checked when a configuration is
 * built (so that {@code --print-config} refuses too): each name is one Kafka would take, {@value
 * CanvasFlowConfig#APPLICATION_ID} is a legal beginning of a topic name, and no two of serve's
 * topics are the same. A dead-letter topic that is the frames topic dead-lettered its own dead
 * letters for ever; an invalid name failed only after the other topics were made.
 */
final class TopicSettings {

    /** The longest name Kafka Streams derives from the application id for its own topics. */
    static final String LONGEST_INTERNAL_SUFFIX =
            StoreNames.changelog("", StoreNames.PENDING_FRAMES_STORE);

    /** How a valid application id reads, completing "must be ...". */
    static final String APPLICATION_ID_TEXT =
            "letters, digits, '.', '_' or '-', 1 to "
                    + (TopicNames.MAX_LENGTH - LONGEST_INTERNAL_SUFFIX.length())
                    + " of them: it names the consumer group and begins the names of Kafka"
                    + " Streams' topics (such as APPLICATION_ID"
                    + LONGEST_INTERNAL_SUFFIX
                    + ")";

    private TopicSettings() {}

    /** Whether Kafka takes a topic of this name. */
    static boolean isTopicName(String name) {
        return TopicNames.problem(name) == null;
    }

    /** Whether the topics Kafka Streams names after this application id are valid names. */
    static boolean isApplicationId(String id) {
        return !id.isEmpty() && isTopicName(id + LONGEST_INTERNAL_SUFFIX);
    }

    /**
     * Refuses two settings that name the same topic, or topics Kafka cannot tell apart ('.' and '_'
     * collide in its metric names, and a broker refuses the second of two such topics). The
     * registry's topics count only when serve follows them ({@value
     * CanvasFlowConfig#MODELS_FOLLOW}).
     *
     * @param values every setting's typed value, valid one by one
     * @throws IllegalArgumentException in one sentence naming both settings
     */
    static void requireDistinct(Map<String, Object> values) {
        List<String> settings = new ArrayList<>(List.of(TOPIC_FRAMES, TOPIC_MASKS, TOPIC_DLQ));
        if (Boolean.TRUE.equals(values.get(MODELS_FOLLOW))) {
            settings.addAll(List.of(TOPIC_MODELS, TOPIC_MODEL_ASSIGNMENTS, TOPIC_MODEL_ERRORS));
        }
        for (int i = 0; i < settings.size(); i++) {
            String a = (String) values.get(settings.get(i));
            for (int j = i + 1; j < settings.size(); j++) {
                String b = (String) values.get(settings.get(j));
                if (TopicNames.collide(a, b)) {
                    throw new IllegalArgumentException(
                            "settings "
                                    + settings.get(i)
                                    + " and "
                                    + settings.get(j)
                                    + (a.equals(b)
                                            ? " both name topic " + a
                                            : " name topics "
                                                    + a
                                                    + " and "
                                                    + b
                                                    + ", which Kafka cannot tell apart ('.' and"
                                                    + " '_' collide)")
                                    + "; give each its own topic: serve reads or writes each for"
                                    + " records of one kind, and a topic shared by two would feed"
                                    + " serve records of the wrong kind, its dead letters and its"
                                    + " output among them");
                }
            }
        }
        String app = (String) values.get(APPLICATION_ID);
        for (String store : List.of(StoreNames.CANVAS_STORE, StoreNames.PENDING_FRAMES_STORE)) {
            String changelog = StoreNames.changelog(app, store);
            for (String setting : settings) {
                String topic = (String) values.get(setting);
                if (TopicNames.collide(topic, changelog)) {
                    throw new IllegalArgumentException(
                            "setting "
                                    + setting
                                    + " names topic "
                                    + topic
                                    + ", which is (or collides with) Kafka Streams' changelog "
                                    + changelog
                                    + " of "
                                    + APPLICATION_ID
                                    + " "
                                    + app
                                    + "; give it another topic");
                }
            }
        }
    }
}
