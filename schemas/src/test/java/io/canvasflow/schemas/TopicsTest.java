package io.canvasflow.schemas;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.canvasflow.schemas.avro.Frame;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class TopicsTest {

    @Test
    void shouldDefineEachTopicOnceWithDistinctNames() {
        List<String> names = Topics.ALL.stream().map(Topic::name).toList();

        assertEquals(names.size(), Set.copyOf(names).size(), names.toString());
        assertEquals(List.of(Topics.FRAMES, Topics.MASKS, Topics.FRAMES_DLQ), Topics.ALL);
    }

    @Test
    void shouldPairEachTopicWithItsValueSerde() {
        assertSame(AvroSerdes.frame(), Topics.FRAMES.valueSerde());
        assertSame(AvroSerdes.maskEvent(), Topics.MASKS.valueSerde());
        assertSame(AvroSerdes.deadLetter(), Topics.FRAMES_DLQ.valueSerde());
    }

    @Test
    void shouldRenameTopicKeepingItsSerdes() {
        String original = Topics.FRAMES.name();

        Topic<String, Frame> renamed = Topics.FRAMES.withName("renamed-for-test");

        assertEquals(
                new Topic<>(
                        "renamed-for-test", Topics.FRAMES.keySerde(), Topics.FRAMES.valueSerde()),
                renamed);
        assertEquals(original, Topics.FRAMES.name());
    }

    @Test
    void shouldRejectBlankTopicName() {
        assertThrows(IllegalArgumentException.class, () -> Topics.FRAMES.withName(" "));
    }
}
