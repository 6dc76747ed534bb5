package io.canvasflow.schemas;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;

class LabelMetadataTest {

    @Test
    void shouldSayWhichClassNamesLabelledFramesCannotCarry() {
        // Given names that read back as given, and lists that do not, or name a class twice
        List<String> fit = List.of("background", "traffic light");
        List<List<String>> unfit =
                List.of(
                        List.of("background", ""),
                        List.of("background", "a,b"),
                        List.of("background", " person"),
                        List.of("background", "background"));

        // When / Then
        assertNull(LabelMetadata.classesProblem(fit));
        assertEquals("background,traffic light", LabelMetadata.joinClasses(fit));
        assertEquals(
                List.of(
                        "a class name is blank",
                        "class name 'a,b' holds a comma, which separates the names",
                        "class name ' person' starts or ends with a space, which is dropped when"
                                + " it is read back",
                        "class name 'background' is given twice, and each class needs a name of"
                                + " its own"),
                unfit.stream().map(LabelMetadata::classesProblem).toList());
        // And joining them is refused with the same reason
        IllegalArgumentException e =
                assertThrows(
                        IllegalArgumentException.class,
                        () -> LabelMetadata.joinClasses(List.of("background", "background")));
        assertEquals(
                "the classes [background, background]: class name 'background' is given twice,"
                        + " and each class needs a name of its own",
                e.getMessage());
    }
}
