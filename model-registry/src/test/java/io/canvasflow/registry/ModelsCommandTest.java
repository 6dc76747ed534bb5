package io.canvasflow.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ModelsCommandTest {

    @Test
    void shouldListALineageWithWholeNumbersAsWritten() {
        // Given a lineage as Gson reads model.json: every number a double
        Map<String, Object> lineage = new LinkedHashMap<>();
        lineage.put("source", "topic:frames-labelled");
        lineage.put("frames", 570.0);
        lineage.put("share", 0.25);

        // Then the list writes 570, not 570.0 (and a fraction as it is)
        assertEquals(
                "{source=topic:frames-labelled, frames=570, share=0.25}",
                ModelsCommand.lineage(lineage));
    }
}
