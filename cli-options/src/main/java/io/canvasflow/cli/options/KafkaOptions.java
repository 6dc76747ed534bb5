package io.canvasflow.cli.options;

import java.util.Map;
import picocli.CommandLine.Option;

/** {@code --bootstrap-servers}: the Kafka cluster a command talks to. */
public final class KafkaOptions {

    /** The environment variable the clients fall back to when the flag is absent. */
    public static final String BOOTSTRAP_ENV = "KAFKA_BOOTSTRAP_SERVERS";

    @Option(
            names = "--bootstrap-servers",
            paramLabel = "HOST:PORT[,...]",
            description = "Kafka bootstrap servers.")
    private String bootstrapServers;

    /**
     * The flag's value.
     *
     * @return the bootstrap servers as given, or null when the flag is absent
     */
    public String bootstrapServers() {
        return bootstrapServers;
    }

    /**
     * Checks that the cluster answers and the topics exist, for a command that needs them.
     *
     * @param servers the bootstrap servers
     * @param clientProperties the command's other client properties (security settings)
     * @param topics the topics the command reads or writes
     * @param howToCreate what to say when one is missing
     * @return the problem in one sentence, or null when there is none
     */
    public static String preflight(
            String servers,
            Map<String, String> clientProperties,
            java.util.List<String> topics,
            String howToCreate) {
        Map<String, Object> client = new java.util.HashMap<>(clientProperties);
        client.put("bootstrap.servers", servers);
        try {
            KafkaPreflight.requireTopics(
                    client, topics, KafkaPreflight.DEFAULT_TIMEOUT, howToCreate);
            return null;
        } catch (KafkaPreflight.FailedException e) {
            return e.getMessage();
        }
    }

    /**
     * For a command that runs against the cluster the flag names, or a broker of its own without
     * the flag: whether that cluster answers, within {@link KafkaPreflight#DEFAULT_TIMEOUT}.
     *
     * @return the problem in one sentence, or null when it answers or the flag is absent
     */
    public String unreachable() {
        return bootstrapServers == null
                ? null
                : preflight(bootstrapServers, Map.of(), java.util.List.of(), "");
    }

    /**
     * The flag's value, else the environment's {@value #BOOTSTRAP_ENV}.
     *
     * @param env the environment
     * @return the bootstrap servers, or null when neither gives any
     */
    public String bootstrapServersOr(Map<String, String> env) {
        if (bootstrapServers != null && !bootstrapServers.isBlank()) {
            return bootstrapServers;
        }
        String fromEnv = env.get(BOOTSTRAP_ENV);
        return fromEnv == null || fromEnv.isBlank() ? null : fromEnv;
    }
}
