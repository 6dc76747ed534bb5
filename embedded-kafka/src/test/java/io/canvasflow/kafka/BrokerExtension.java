package io.canvasflow.kafka;

import io.canvasflow.testsupport.CommandRun;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * One embedded broker per test class, started before its first test and closed after its last
 * (test-jar, for the tests of every module that talks to Kafka):
 *
 * <pre>{@code @RegisterExtension static final BrokerExtension kafka = new BrokerExtension();}</pre>
 */
public final class BrokerExtension implements BeforeAllCallback, AfterAllCallback {

    private EmbeddedKafkaBroker broker;

    @Override
    public void beforeAll(ExtensionContext context) {
        broker = EmbeddedKafkaBroker.builder().build().start();
    }

    @Override
    public void afterAll(ExtensionContext context) {
        if (broker != null) {
            broker.close();
            broker = null;
        }
    }

    /** The running broker. */
    public EmbeddedKafkaBroker broker() {
        if (broker == null) {
            throw new IllegalStateException("the broker runs only while the test class does");
        }
        return broker;
    }

    /** The broker's {@code bootstrap.servers}. */
    public String bootstrapServers() {
        return broker().bootstrapServers();
    }

    /**
     * Runs a command against this broker, {@code --bootstrap-servers} added to its arguments.
     *
     * @param command the picocli command
     * @param args its other arguments
     * @return what it printed and its exit code
     */
    public CommandRun run(Object command, String... args) {
        List<String> all = new ArrayList<>(List.of(args));
        all.addAll(List.of("--bootstrap-servers", bootstrapServers()));
        return CommandRun.of(command, all.toArray(String[]::new));
    }

    /**
     * Creates topics with replication factor one, leaving existing ones as they are.
     *
     * @param partitionsByTopic topic name to partition count
     */
    public void createTopics(Map<String, Integer> partitionsByTopic) {
        broker().createTopics(partitionsByTopic);
    }

    /** The broker's client configuration. */
    public Map<String, Object> clientConfig() {
        return broker().clientConfig();
    }
}
