package io.canvasflow.trainer.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.canvasflow.synthetic.LabeledFrame;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CityscapesDatasetTest {

    private static final int W = 32;
    private static final int H = 16;

    @TempDir Path root;

    @Test
    void shouldMapLabelIdsToTrainIds() throws IOException {
        // Every label id 0..33, plus one past the table, repeated over the frame.
        int[] ids = new int[W * H];
        for (int i = 0; i < ids.length; i++) {
            ids[i] = i % 35;
        }
        int[] other = new int[W * H];
        for (int i = 0; i < other.length; i++) {
            other[i] = i < other.length / 2 ? 26 : 24; // car above, person below
        }
        write("aachen", "aachen_000000_000019", ids, 0x102030);
        write("bochum", "bochum_000000_000313", other, 0xA0B0C0);

        CityscapesDataset ds = CityscapesDataset.open(root, "val");
        List<LabeledFrame> frames = ds.ids().stream().map(ds::load).toList();

        assertEquals(
                List.of("aachen/aachen_000000_000019", "bochum/bochum_000000_000313"), ds.ids());
        int[] trainIdOf = new int[35];
        java.util.Arrays.fill(trainIdOf, 255);
        int[][] pairs = {
            {7, 0}, {8, 1}, {11, 2}, {12, 3}, {13, 4}, {17, 5}, {19, 6}, {20, 7}, {21, 8}, {22, 9},
            {23, 10}, {24, 11}, {25, 12}, {26, 13}, {27, 14}, {28, 15}, {31, 16}, {32, 17}, {33, 18}
        };
        for (int[] p : pairs) {
            trainIdOf[p[0]] = p[1];
        }
        byte[] expected = new byte[W * H];
        for (int i = 0; i < expected.length; i++) {
            expected[i] = (byte) trainIdOf[ids[i]];
        }
        assertArrayEquals(expected, frames.get(0).labels());
        byte[] expectedOther = new byte[W * H];
        for (int i = 0; i < expectedOther.length; i++) {
            expectedOther[i] = (byte) (i < W * H / 2 ? 13 : 11);
        }
        assertArrayEquals(expectedOther, frames.get(1).labels());
        assertEquals(0x102030, frames.get(0).image().getRGB(5, 5) & 0xffffff);
        assertEquals(0xA0B0C0, frames.get(1).image().getRGB(31, 15) & 0xffffff);
        assertEquals("car", ds.classes().name(13));
    }

    @Test
    void shouldNameTheMissingSplitDirectory() {
        DatasetException e =
                assertThrows(DatasetException.class, () -> CityscapesDataset.open(root, "train"));

        assertTrue(
                e.getMessage().contains(root.resolve("leftImg8bit").resolve("train").toString()),
                e.getMessage());
    }

    private void write(String city, String name, int[] labelIds, int color) throws IOException {
        Path img = Files.createDirectories(root.resolve("leftImg8bit/val").resolve(city));
        Path gt = Files.createDirectories(root.resolve("gtFine/val").resolve(city));
        BufferedImage image = new BufferedImage(W, H, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < H; y++) {
            for (int x = 0; x < W; x++) {
                image.setRGB(x, y, color);
            }
        }
        ImageIO.write(image, "png", img.resolve(name + "_leftImg8bit.png").toFile());
        BufferedImage label = new BufferedImage(W, H, BufferedImage.TYPE_BYTE_GRAY);
        label.getRaster().setSamples(0, 0, W, H, 0, labelIds);
        ImageIO.write(label, "png", gt.resolve(name + "_gtFine_labelIds.png").toFile());
    }

    @Test
    void shouldRefuseASplitThatHoldsNoFramesWhereItIsOpened() throws IOException {
        // Given the split's folders with no city in them
        Files.createDirectories(root.resolve("leftImg8bit/val"));
        Files.createDirectories(root.resolve("gtFine/val"));

        // Then it is refused naming the data (evaluate wrote a report of NaNs, then crashed)
        DatasetException e =
                assertThrows(
                        DatasetException.class,
                        () ->
                                LabelledSources.open(
                                        "cityscapes:" + root + ":val",
                                        new LabelledSources.Selection(
                                                Map.of(), null, SequenceRange.ALL, null, W, H)));
        assertTrue(
                e.getMessage().startsWith("--data cityscapes:" + root + ":val holds no labelled"),
                e.getMessage());
    }
}
