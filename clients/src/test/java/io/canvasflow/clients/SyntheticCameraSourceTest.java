package io.canvasflow.clients;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.canvasflow.synthetic.LabeledFrame;
import io.canvasflow.synthetic.Split;
import io.canvasflow.synthetic.SyntheticDataset;
import io.canvasflow.synthetic.SyntheticVideoGenerator;
import io.canvasflow.synthetic.VideoSequence;
import java.awt.image.BufferedImage;
import java.awt.image.DataBufferByte;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class SyntheticCameraSourceTest {

    @Test
    void shouldRefuseAClipTheHeapCannotHoldBeforeRenderingIt() {
        // Given a heap whose half holds 5 frames of 64x48 (5 bytes a pixel)
        long heap = 2L * 5 * 64 * 48 * 5;

        // When 6 are asked for, then they are refused in a sentence that says what fits
        IllegalArgumentException e =
                assertThrows(
                        IllegalArgumentException.class,
                        () -> new SyntheticCameraSource(0, 6, 64, 48, heap));
        assertTrue(e.getMessage().startsWith("synthetic:0:6 would hold 6 rendered 64x48 frames"));
        assertTrue(e.getMessage().contains("holds at most 5 of them"), e.getMessage());
        // and 5 are rendered
        assertEquals(5, read(new SyntheticCameraSource(0, 5, 64, 48, heap)).size());
        // and this JVM's own heap does not take the reviewer's 100000 frames of 256x192, 23 GiB
        assertThrows(IllegalArgumentException.class, () -> FrameSources.open("synthetic:0:100000"));
    }

    @Test
    void shouldFilmTheTestSceneWithItsExactLabelsAsGroundTruth() {
        // Given the generator's own clip of test scene 2
        VideoSequence clip =
                new SyntheticVideoGenerator()
                        .generate(SyntheticDataset.seedFor(Split.TEST, 2), 3, 64, 48);

        // When
        List<SourceFrame> frames = read(new SyntheticCameraSource(2, 3, 64, 48));

        // Then: the same images, and ground truth PNGs that decode to the same labels
        assertEquals(3, frames.size());
        for (int i = 0; i < 3; i++) {
            LabeledFrame expected = clip.frame(i);
            SourceFrame frame = frames.get(i);
            assertEquals(i, frame.index());
            assertArrayEquals(pixels(expected.image()), pixels(frame.image()), "frame " + i);
            ClassMap truth = ImageCodecs.classMap(frame.groundTruthPng());
            assertArrayEquals(expected.labels(), truth.indices(), "labels of frame " + i);
            assertEquals(SyntheticCameraSource.classes().color(4), truth.palette()[4]);
        }
    }

    @Test
    void shouldFilmTheSameVideoForTheSameSceneAndAnotherForAnother() {
        List<SourceFrame> first = read(new SyntheticCameraSource(1, 2, 48, 32));
        List<SourceFrame> again = read(new SyntheticCameraSource(1, 2, 48, 32));
        List<SourceFrame> other = read(new SyntheticCameraSource(5, 2, 48, 32));

        assertArrayEquals(pixels(first.get(1).image()), pixels(again.get(1).image()));
        assertArrayEquals(first.get(1).groundTruthPng(), again.get(1).groundTruthPng());
        assertFalse(Arrays.equals(pixels(first.get(1).image()), pixels(other.get(1).image())));
    }

    @Test
    void shouldUseTestSplitSeeds() {
        assertEquals(Split.TEST, SyntheticDataset.splitOf(new SyntheticCameraSource(7, 1).seed()));
    }

    static List<SourceFrame> read(FrameSource source) {
        List<SourceFrame> frames = new ArrayList<>();
        try (source) {
            for (Optional<SourceFrame> f = source.next(); f.isPresent(); f = source.next()) {
                frames.add(f.get());
            }
        }
        return frames;
    }

    static int[] pixels(BufferedImage image) {
        BufferedImage bgr = ImageCodecs.toBgr(image);
        byte[] bytes = ((DataBufferByte) bgr.getRaster().getDataBuffer()).getData();
        int[] out = new int[bytes.length];
        for (int i = 0; i < bytes.length; i++) {
            out[i] = bytes[i] & 0xFF;
        }
        return out;
    }
}
