package io.canvasflow.schemas;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.List;
import org.junit.jupiter.api.Test;

class TopicNamesTest {

    @Test
    void shouldTakeWhatKafkaTakesAndSayWhyNotOtherwise() {
        // Given names Kafka takes, and ones it refuses
        String longest = "t".repeat(249);
        String tooLong = "t".repeat(250);

        // When / Then
        assertNull(TopicNames.problem("frames.v2_eu-1"));
        assertNull(TopicNames.problem(longest));
        assertEquals(
                List.of(
                        "Topic name is invalid: the empty string is not allowed",
                        "Topic name is invalid: '..' is not allowed",
                        "Topic name is invalid: the length of '"
                                + tooLong
                                + "' is longer than the max allowed length 249",
                        "Topic name is invalid: 'a b' contains one or more characters other than"
                                + " ASCII alphanumerics, '.', '_' and '-'"),
                List.of("", "..", tooLong, "a b").stream().map(TopicNames::problem).toList());
    }

    @Test
    void shouldFindNamesKafkaCannotTellApart() {
        assertEquals(
                List.of(true, true, true, false, false),
                List.of(
                        TopicNames.collide("frames", "frames"),
                        TopicNames.collide("a.b", "a_b"),
                        TopicNames.collide("a_b.c", "a.b_c"),
                        TopicNames.collide("a-b", "a_b"),
                        TopicNames.collide("frames", "masks")));
    }
}
