package io.canvasflow.synthetic;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.awt.image.BufferedImage;
import java.util.List;
import org.junit.jupiter.api.Test;

class LabeledFrameTest {

    @Test
    void shouldCopyLabelsInAndOut() {
        byte[] labels = {1, 2, 3, 4, 5, 0};
        LabeledFrame f =
                new LabeledFrame(new BufferedImage(3, 2, BufferedImage.TYPE_3BYTE_BGR), labels);

        labels[0] = 9;
        f.labels()[1] = 9;

        assertArrayEquals(new byte[] {1, 2, 3, 4, 5, 0}, f.labels());
        assertEquals(4, f.label(0, 1));
        assertEquals(3, f.width());
        assertEquals(2, f.height());
    }

    @Test
    void shouldReadIgnoreAsUnsigned() {
        LabeledFrame f =
                new LabeledFrame(
                        new BufferedImage(1, 1, BufferedImage.TYPE_INT_RGB),
                        new byte[] {(byte) 255});

        assertEquals(LabeledFrame.IGNORE_LABEL, f.label(0, 0));
        assertEquals(1, f.labelHistogram()[255]);
    }

    @Test
    void shouldRejectOtherImageTypesAndWrongLabelCounts() {
        assertThrows(
                IllegalArgumentException.class,
                () ->
                        new LabeledFrame(
                                new BufferedImage(2, 2, BufferedImage.TYPE_BYTE_GRAY),
                                new byte[4]));
        assertThrows(
                IllegalArgumentException.class,
                () ->
                        new LabeledFrame(
                                new BufferedImage(2, 2, BufferedImage.TYPE_INT_RGB), new byte[3]));
    }

    @Test
    void shouldDescribeTheStandardClassTables() {
        assertEquals(
                List.of("sky", "road", "building", "vegetation", "vehicle", "person"),
                ClassTable.SYNTHETIC.names());
        assertEquals(19, ClassTable.CITYSCAPES_19.size());
        assertEquals("bicycle", ClassTable.CITYSCAPES_19.name(18));
        assertEquals(21, ClassTable.VOC_21.size());
        assertEquals(0x800000, ClassTable.VOC_21.color(1));
        assertEquals(0xC08080, ClassTable.VOC_21.color(15));
        assertEquals(15, ClassTable.VOC_21.indexOf("person"));
    }
}
