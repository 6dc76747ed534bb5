package io.canvasflow.trainer;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.Rectangle;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.IntFunction;
import javax.imageio.ImageIO;

/**
 * Footage for the teachers and the commands that label and train on it: frames of one colour with a
 * square of another, which the motion teacher labels once it moves, written as a camera's numbered
 * PNG files.
 */
public final class SquareFootage {

    /** The grey of the street in {@link #street}. */
    public static final Color STREET = new Color(90, 110, 100);

    /**
     * The motion teacher's options that fit this footage's short clips and small square: a warm-up
     * of 5 frames, and objects of 20 pixels or more.
     */
    public static final List<String> MOTION_TEACHER = List.of("--warm-up", "5", "--min-area", "20");

    private SquareFootage() {}

    /**
     * A frame of one colour with a square of another.
     *
     * @param width the frame's width
     * @param height the frame's height
     * @param background the frame's colour
     * @param squareColour the square's colour
     * @param square where the square is; null for none
     * @return the frame
     */
    public static BufferedImage frame(
            int width, int height, Color background, Color squareColour, Rectangle square) {
        BufferedImage frame = new BufferedImage(width, height, BufferedImage.TYPE_3BYTE_BGR);
        Graphics2D g = frame.createGraphics();
        g.setColor(background);
        g.fillRect(0, 0, width, height);
        if (square != null) {
            g.setColor(squareColour);
            g.fillRect(square.x, square.y, square.width, square.height);
        }
        g.dispose();
        return frame;
    }

    /**
     * Frame {@code t} of a 64x48 grey street in which a white 12x16 square stands still until frame
     * {@code movesFrom} and then moves right a pixel a frame (nothing there before it).
     *
     * @param t the frame's number
     * @param movesFrom the frame the square appears and starts moving in
     * @return the frame
     */
    public static BufferedImage street(int t, int movesFrom) {
        return movingSquare(t, movesFrom, STREET, Color.WHITE);
    }

    /**
     * Frame {@code t} of {@link #street}'s 64x48 footage in other colours.
     *
     * @param t the frame's number
     * @param movesFrom the frame the square appears and starts moving in
     * @param background the street's colour
     * @param square the square's colour
     * @return the frame
     */
    public static BufferedImage movingSquare(int t, int movesFrom, Color background, Color square) {
        return frame(
                64,
                48,
                background,
                square,
                t >= movesFrom ? new Rectangle(10 + (t - movesFrom), 12, 12, 16) : null);
    }

    /**
     * Writes frames {@code 0} to {@code count - 1} into a folder as {@code f0000.png}, {@code
     * f0001.png} and so on, the order a folder source reads them in.
     *
     * @param folder the folder, made if it is not there
     * @param count how many frames
     * @param frameAt draws frame {@code t}
     * @return the folder
     */
    public static Path writePngs(Path folder, int count, IntFunction<BufferedImage> frameAt) {
        try {
            Files.createDirectories(folder);
            for (int t = 0; t < count; t++) {
                ImageIO.write(
                        frameAt.apply(t),
                        "png",
                        folder.resolve(String.format("f%04d.png", t)).toFile());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return folder;
    }
}
