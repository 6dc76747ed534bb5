package io.canvasflow.schemas;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class KafkaClientFailureTest {

    @ParameterizedTest(name = "{0}={1}")
    @CsvSource(
            delimiter = '|',
            textBlock =
                    """
                    # a class that is not an interceptor: the reason says what is wrong, not only
                    # "class java.lang.String"
                    interceptor.classes | java.lang.String | a class that is not the kind Kafka \
                    expects (class java.lang.String)
                    max.poll.records | 0 | Invalid value 0 for configuration max.poll.records: \
                    Value must be at least 1
                    """)
    void shouldGiveTheReasonKafkasConsumerRefusedAPropertyFor(
            String name, String value, String reason) {
        // Given what Kafka's consumer throws for the property
        KafkaException e = consumerRefusal(name, value);

        // Then the reason is what Kafka refused, read past its wrapper
        assertEquals(reason, KafkaClientFailure.reason(e));
    }

    @Test
    void shouldLeaveAFailureWhileRunningToItsCaller() {
        assertNull(KafkaClientFailure.reason(new KafkaException("the group coordinator moved")));
    }

    @Test
    void shouldHideAQuotedTokenOfAPasswordHoweverShortAndEveryLongerPiece() {
        String jaas =
                "org.apache.kafka.common.security.plain.PlainLoginModule required"
                        + " username=\"u\" password=ab pass.word;";

        String said =
                KafkaClientFailure.withoutSecrets(
                        "Value not specified for key 'ab' in JAAS config; then 'pass' and word",
                        List.of(jaas));

        assertEquals(
                "Value not specified for key '[hidden]' in JAAS config; then '[hidden]' and"
                        + " [hidden]",
                said);
    }

    /** What Kafka's consumer throws for one property, the bootstrap servers aside. */
    private static KafkaException consumerRefusal(String name, String value) {
        return assertThrows(
                KafkaException.class,
                () ->
                        new KafkaConsumer<>(
                                Map.of("bootstrap.servers", "127.0.0.1:1", name, value),
                                new StringDeserializer(),
                                new StringDeserializer()));
    }
}
