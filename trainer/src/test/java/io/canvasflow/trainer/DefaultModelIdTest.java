package io.canvasflow.trainer;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.canvasflow.model.ModelVersion;
import java.util.List;
import org.junit.jupiter.api.Test;

class DefaultModelIdTest {

    @Test
    void shouldKeepAnIdThatIsValidAsItIs() {
        // Given sources whose ids the registry takes
        // When their default ids are made
        List<String> ids =
                List.of(DefaultModelId.of("rnn", "vtest"), DefaultModelId.of("ff", "voc"));

        // Then they are canvasflow-TYPE-SOURCE, as before
        assertEquals(List.of("canvasflow-rnn-vtest", "canvasflow-ff-voc"), ids);
    }

    @Test
    void shouldMakeAnIdFromACameraIdTheRegistryWouldRefuse() {
        // Given camera ids with a space, with a '/', and too long for a version
        String longCamera = "c".repeat(300);

        // When their default ids are made
        List<String> ids =
                List.of(
                        DefaultModelId.of("rnn", "gate 1"),
                        DefaultModelId.of("rnn", "gate/1"),
                        DefaultModelId.of("rnn", longCamera));

        // Then each is the id with '-' for what a version may not hold, cut to fit, and a
        // digest of the exact camera id, so that "gate 1" and "gate/1" stay apart (it was
        // canvasflow-rnn-gate 1, refused at models publish after the training)
        assertEquals(
                List.of(
                        "canvasflow-rnn-gate-1-" + DIGEST_GATE_SPACE_1,
                        "canvasflow-rnn-gate-1-" + DIGEST_GATE_SLASH_1,
                        ("canvasflow-rnn-" + longCamera).substring(0, ModelVersion.MAX_MODEL_ID - 9)
                                + "-"
                                + DIGEST_LONG),
                ids);
        assertEquals(
                List.of(true, true, true), ids.stream().map(ModelVersion::isValidModelId).toList());
    }

    // the first 8 hex digits of each camera id's SHA-256 (sha256sum of the id, no newline)
    private static final String DIGEST_GATE_SPACE_1 = "76ffb8c9";
    private static final String DIGEST_GATE_SLASH_1 = "55266f93";
    private static final String DIGEST_LONG = "b9defaed";
}
