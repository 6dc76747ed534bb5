package io.canvasflow.model;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ModelVersionTest {

    @Test
    void shouldTakeOnlyModelIdsWhoseVersionsTheRegistryTakes() {
        // Given ids the trainer was given, or made from a camera id
        Map<String, Boolean> expected = new LinkedHashMap<>();
        expected.put("canvasflow-rnn-vtest", true);
        expected.put("my_model.v2", true);
        expected.put("a".repeat(ModelVersion.MAX_MODEL_ID), true);
        expected.put("a".repeat(ModelVersion.MAX_MODEL_ID + 1), false);
        expected.put("gate 1/north", false);
        expected.put("canvasflow-rnn-gate 1", false);
        expected.put("-leading-dash", false);
        expected.put("", false);

        // When each is checked
        Map<String, Boolean> actual = new LinkedHashMap<>();
        expected.keySet().forEach(id -> actual.put(id, ModelVersion.isValidModelId(id)));

        // Then those the registry would refuse a version of are refused
        assertEquals(expected, actual);
        assertEquals(
                "canvasflow-rnn-vtest-0123456789ab",
                ModelVersion.of("canvasflow-rnn-vtest", "0123456789abcdef"));
        assertEquals(true, ModelVersion.isValid(ModelVersion.of("a".repeat(187), "f".repeat(64))));
    }
}
