package io.canvasflow.topology;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.streams.StreamsConfig;

/** The setting {@code instance.id}: this instance's static group membership id. */
final class StaticMembership {

    private StaticMembership() {}

    /**
     * Whether the user named the membership ({@code instance.id} other than auto and none): then a
     * stop stays in the group, as a pod that comes back under its name wants.
     *
     * @param setting the setting
     * @return whether it names an id
     */
    static boolean named(String setting) {
        String value = setting.trim();
        return !(value.equals("auto") || value.equals("none") || value.isEmpty());
    }

    /**
     * Resolves the setting.
     *
     * @param setting {@code auto}, {@code none} (or blank) or an id
     * @param stateDir the state directory
     * @return the id, or empty for dynamic membership
     */
    static Optional<String> instanceId(String setting, String stateDir) {
        String value = setting.trim();
        if (named(value)) {
            return Optional.of(value);
        }
        if (!value.equals("auto")) {
            return Optional.empty();
        }
        String host;
        try {
            host = InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            host = "host";
        }
        String dir = Path.of(stateDir).toAbsolutePath().normalize().toString();
        // Two instances on one host need two state directories (Kafka Streams locks them), so
        // host + directory tells them apart and stays the same across a restart.
        return Optional.of(host + "-" + Integer.toHexString(dir.hashCode() & 0x7fffffff));
    }

    /**
     * Whether a stop should keep this instance in the group: when the user named its membership (a
     * {@code group.instance.id}, or an {@code instance.id} other than auto and none), as a
     * Kubernetes pod that comes back under its name does. With {@code instance.id=auto} a stop
     * still leaves the group, so its partitions move at once; only a crash waits for the session
     * timeout, and a crashed instance that restarts takes them back under its id at once.
     *
     * @param config the settings
     * @return whether to stay in the group
     */
    static boolean staysInGroup(CanvasFlowConfig config) {
        return setByKafka(config.kafkaProperties())
                || named(config.settings().get(CanvasFlowConfig.INSTANCE_ID));
    }

    /**
     * Whether Kafka properties set a static group membership id themselves.
     *
     * @param kafka the Kafka properties passed through
     * @return whether one of them is a {@code group.instance.id}
     */
    static boolean setByKafka(Map<String, String> kafka) {
        return kafka.containsKey(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG)
                || kafka.containsKey(
                        StreamsConfig.consumerPrefix(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG))
                || kafka.containsKey(
                        StreamsConfig.mainConsumerPrefix(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG));
    }
}
