package io.canvasflow.registry;

import io.canvasflow.schemas.TopicNames;
import java.util.ArrayList;
import java.util.List;

/**
 * The registry topics that {@code --models-topic}, {@code --assignments-topic} and {@code
 * --errors-topic} name, checked before anything is asked of the cluster: a name Kafka refuses, or
 * two names Kafka cannot tell apart, would otherwise be found after some topics were created (the
 * cluster refuses the name), and one topic named by two of them never (a topic of two kinds, read
 * with a warning per record).
 */
final class RegistryTopicNames {

    private RegistryTopicNames() {}

    /** One option's topic: the name, and how a sentence names where it came from. */
    private record Named(String topic, String option, boolean given) {

        String said() {
            return given ? option + " " + topic : topic + " (the default of " + option + ")";
        }
    }

    /**
     * The registry topics, the options' names or else the defaults.
     *
     * @param models {@code --models-topic}, or null
     * @param assignments {@code --assignments-topic}, or null
     * @param errors {@code --errors-topic}, or null
     * @return the topics
     * @throws ModelRegistryException in one sentence naming the option whose name Kafka would not
     *     take, or the two options that name the same topic, or topics Kafka cannot tell apart
     */
    static ModelRegistryClient.RegistryTopics of(String models, String assignments, String errors) {
        ModelRegistryClient.RegistryTopics defaults = ModelRegistryClient.RegistryTopics.defaults();
        List<Named> named =
                List.of(
                        named(models, defaults.models(), "--models-topic"),
                        named(assignments, defaults.assignments(), "--assignments-topic"),
                        named(errors, defaults.errors(), "--errors-topic"));
        List<Named> seen = new ArrayList<>();
        for (Named n : named) {
            String problem = TopicNames.problem(n.topic());
            if (problem != null) {
                throw new ModelRegistryException(
                        n.option() + ": " + problem + "; give a name Kafka takes");
            }
            for (Named earlier : seen) {
                if (TopicNames.collide(earlier.topic(), n.topic())) {
                    throw new ModelRegistryException(
                            earlier.said()
                                    + " and "
                                    + n.said()
                                    + (earlier.topic().equals(n.topic())
                                            ? " name the same topic"
                                            : " name topics Kafka cannot tell apart ('.' and '_'"
                                                    + " collide)")
                                    + "; give each registry topic its own, as they hold records"
                                    + " of different kinds");
                }
            }
            seen.add(n);
        }
        return new ModelRegistryClient.RegistryTopics(
                named.get(0).topic(), named.get(1).topic(), named.get(2).topic());
    }

    private static Named named(String given, String otherwise, String option) {
        return new Named(given == null ? otherwise : given, option, given != null);
    }
}
