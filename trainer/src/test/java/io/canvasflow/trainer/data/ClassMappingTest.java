package io.canvasflow.trainer.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.canvasflow.synthetic.ClassTable;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ClassMappingTest {

    @TempDir Path dir;

    /** Data labelled with two classes called background (label's moving class was one). */
    private static final ClassTable TWICE =
            ClassTable.withVocPalette(List.of("background", "background"));

    private static final String SENTENCE =
            "the data's classes [background, background] name 'background' twice, so its labels"
                    + " cannot be told apart; give each class a name of its own";

    @Test
    void shouldRefuseDataThatNamesAClassTwiceHoweverItIsMapped() throws Exception {
        // Given a class map for such data
        Path map = Files.writeString(dir.resolve("map.txt"), "background = road\n");
        // When it is mapped onto itself, by the map, or as a model recorded it
        DatasetException identity =
                assertThrows(DatasetException.class, () -> ClassMapping.identity(TWICE));
        DatasetException read =
                assertThrows(DatasetException.class, () -> ClassMapping.read(map, TWICE));
        DatasetException recorded =
                assertThrows(
                        DatasetException.class,
                        () -> ClassMapping.recorded(Map.of("background", "road"), TWICE));
        // Then each is refused in one sentence (label 1 was read as class 0: the second class
        // was never trained, and evaluate scored a perfect mIoU)
        assertEquals(
                List.of(SENTENCE, SENTENCE, SENTENCE),
                List.of(identity.getMessage(), read.getMessage(), recorded.getMessage()));
    }

    @Test
    void shouldRefuseAModelThatNamesAClassTwice() {
        // Given data of two classes and a model whose classes name one of them twice
        ClassMapping data = ClassMapping.identity(ClassTable.withVocPalette(List.of("a", "b")));
        ClassTable model = ClassTable.withVocPalette(List.of("a", "b", "b"));
        // When the data is mapped into the model's classes
        DatasetException e = assertThrows(DatasetException.class, () -> data.into(model));
        // Then that is refused too
        assertEquals(
                "the model's classes [a, b, b] name 'b' twice, so its labels cannot be told"
                        + " apart; give each class a name of its own",
                e.getMessage());
    }

    @Test
    void shouldMapClassesWithNamesOfTheirOwnAsBefore() {
        // Given data of three classes, one of them dropped
        ClassTable source = ClassTable.withVocPalette(List.of("bg", "car", "tree"));
        // When it is mapped as a model recorded it
        ClassMapping m =
                ClassMapping.recorded(
                        Map.of("bg", "bg", "car", "vehicle", "tree", ClassMapping.IGNORE), source);
        // Then each label becomes its target's
        assertEquals(List.of("bg", "vehicle"), m.target().names());
        assertArrayEquals(
                new byte[] {0, 1, (byte) 255, (byte) 255}, m.apply(new byte[] {0, 1, 2, -1}));
    }
}
