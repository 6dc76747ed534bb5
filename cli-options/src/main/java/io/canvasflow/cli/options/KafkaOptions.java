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
