package io.canvasflow.clients;

import io.canvasflow.cli.options.KafkaPreflight;
import io.canvasflow.schemas.KafkaTopics;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What {@link FramePublisher.Builder#build} asks the cluster before it makes a producer: that the
 * topic exists, and how large a record it takes. Kafka's producer would instead wait for a missing
 * topic on each send for its {@code max.block.ms} (60 s), with a WARN line a second, and fail with
 * its own TimeoutException; the embedded broker never creates a topic on first use. The check is
 * {@link KafkaPreflight}'s, so {@code canvasflow publish}, which builds its publisher here, and a
 * program of one's own get the same sentence.
 */
final class TopicCheck {

    private static final Logger LOG = LoggerFactory.getLogger(TopicCheck.class);

    private TopicCheck() {}

    /**
     * What to do about a missing frames topic, the end of the sentence that names it.
     *
     * @param topic the topic
     * @return the advice
     */
    static String howToCreate(String topic) {
        return "start `canvasflow serve --create-topics` (it creates the frames, masks and"
                + " dead-letter topics), or create it with kafka-topics.sh --create --topic "
                + topic;
    }

    /**
     * Checks that the cluster answers and the topic exists, then reads the topic's {@code
     * max.message.bytes} where asked to.
     *
     * @param client the producer's settings: bootstrap servers and any security settings
     * @param topic the topic
     * @param readLimit whether to read the topic's limit
     * @return the topic's {@code max.message.bytes}; 0 where not asked, or where it cannot be read
     *     (no DescribeConfigs right: said in one WARN line, and the broker refuses instead)
     * @throws IllegalArgumentException in one sentence naming the address or the topic: nothing
     *     accepts connections there, what answers is no Kafka broker, or the topic does not exist
     */
    static int require(Map<String, Object> client, String topic, boolean readLimit) {
        try {
            KafkaPreflight.requireTopics(
                    client, List.of(topic), KafkaPreflight.DEFAULT_TIMEOUT, howToCreate(topic));
        } catch (KafkaPreflight.FailedException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
        if (!readLimit) {
            return 0;
        }
        Integer limit =
                KafkaTopics.maxMessageBytes(
                                client,
                                List.of(topic),
                                KafkaPreflight.DEFAULT_TIMEOUT,
                                problem ->
                                        LOG.warn(
                                                "{}; a frame too large for it is refused by the"
                                                        + " broker instead",
                                                problem))
                        .get(topic);
        return limit == null ? 0 : limit;
    }
}
