package io.canvasflow.clients;

import java.awt.image.BufferedImage;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A live camera for tests: a small frame every {@code periodMillis} whether or not it is read, for
 * ever or for a number of frames, after which it ends or fails. It records the newest index it sent
 * and the thread that closed it.
 */
final class LiveTestCamera implements FrameSource {

    private final BufferedImage image;
    private final long periodMillis;
    private final long frames;
    private final boolean failAtEnd;
    private final AtomicLong sent = new AtomicLong();
    private volatile Thread closedBy;

    /**
     * A camera.
     *
     * @param periodMillis the time between frames
     * @param frames how many it sends, or 0 for ever
     * @param failAtEnd whether its end is a {@link FrameSourceException} rather than an end
     */
    LiveTestCamera(long periodMillis, long frames, boolean failAtEnd) {
        this(OverlayRendererTest.solid(64, 48, 0x406080), periodMillis, frames, failAtEnd);
    }

    /** A camera that sends {@code image} each time. */
    LiveTestCamera(BufferedImage image, long periodMillis, long frames, boolean failAtEnd) {
        this.image = image;
        this.periodMillis = periodMillis;
        this.frames = frames;
        this.failAtEnd = failAtEnd;
    }

    @Override
    public Optional<SourceFrame> next() {
        if (frames > 0 && sent.get() >= frames) {
            if (failAtEnd) {
                throw new FrameSourceException("the test camera went away");
            }
            return Optional.empty();
        }
        try {
            Thread.sleep(periodMillis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
        return Optional.of(SourceFrame.of(image, sent.getAndIncrement()));
    }

    /** The index of the newest frame sent, -1 before the first. */
    long newest() {
        return sent.get() - 1;
    }

    /** The thread that closed it, or null while open. */
    Thread closedBy() {
        return closedBy;
    }

    @Override
    public boolean isLive() {
        return true;
    }

    @Override
    public double nativeFps() {
        return 1000.0 / periodMillis;
    }

    @Override
    public String description() {
        return "a live test camera";
    }

    @Override
    public void close() {
        closedBy = Thread.currentThread();
    }
}
