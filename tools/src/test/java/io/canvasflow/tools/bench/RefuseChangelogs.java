package io.canvasflow.tools.bench;

import java.util.Map;
import org.apache.kafka.common.errors.PolicyViolationException;
import org.apache.kafka.server.policy.CreateTopicPolicy;

/**
 * A broker's topic policy that refuses Kafka Streams' changelogs, so that a topology on that broker
 * starts and then goes to ERROR at its first rebalance, as one does when the cluster refuses a
 * {@code topic.} property, whatever settings a CanvasFlow command refuses up front.
 */
public final class RefuseChangelogs implements CreateTopicPolicy {

    @Override
    public void configure(Map<String, ?> configs) {}

    @Override
    public void validate(RequestMetadata request) {
        if (request.topic().endsWith("-changelog")) {
            throw new PolicyViolationException("no changelogs on this test broker");
        }
    }

    @Override
    public void close() {}
}
