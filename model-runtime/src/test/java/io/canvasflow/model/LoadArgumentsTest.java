package io.canvasflow.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class LoadArgumentsTest {

    @Test
    void shouldRefuseANullDirectoryOrDeviceNamingWhatIsMissing() {
        // Given a load without a directory, and one without a device
        // When each is tried
        List<String> refusals =
                List.of(
                        assertThrows(NullPointerException.class, () -> SegmentationModel.load(null))
                                .getMessage(),
                        assertThrows(
                                        NullPointerException.class,
                                        () -> SegmentationModel.load(Path.of("models"), null))
                                .getMessage(),
                        assertThrows(
                                        NullPointerException.class,
                                        () ->
                                                SegmentationModel.initialize(
                                                        TestModels.spec(
                                                                ModelType.RECURRENT,
                                                                Architecture.tiny(),
                                                                32,
                                                                24),
                                                        null))
                                .getMessage());

        // Then each says which argument is missing, before anything is read
        assertEquals(
                List.of(
                        "SegmentationModel.load needs a model directory, got null",
                        "SegmentationModel.load needs a DeviceChoice (AUTO, CPU or GPU), got null",
                        "SegmentationModel.initialize needs a DeviceChoice (AUTO, CPU or GPU), got"
                                + " null"),
                refusals);
    }
}
