package io.canvasflow.clients;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * What a terminal shows after the bytes written to it: plain text, line feeds and carriage returns,
 * and the two ANSI escapes the live table uses, {@code ESC[nF} (cursor up n lines, to the first
 * column) and {@code ESC[J} (clear from the cursor to the end of the screen). Standard output and
 * standard error of a terminal session are one stream of bytes; {@link #out} and {@link #err} write
 * into the same one here. A terminal of a given width wraps a longer line onto the next row, as a
 * real one does.
 */
final class TerminalScreen {

    private final int columns;

    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    private final PrintStream stream = new PrintStream(bytes, true, StandardCharsets.UTF_8);

    /** A terminal wide enough for any line. */
    TerminalScreen() {
        this(Integer.MAX_VALUE);
    }

    /** A terminal {@code columns} characters wide. */
    TerminalScreen(int columns) {
        this.columns = columns;
    }

    /** Standard output's side of the terminal. */
    PrintWriter out() {
        return new PrintWriter(stream, true, StandardCharsets.UTF_8);
    }

    /** Standard error's side of the terminal. */
    PrintStream err() {
        return stream;
    }

    /** Everything written so far, escapes included. */
    synchronized String raw() {
        stream.flush();
        return bytes.toString(StandardCharsets.UTF_8);
    }

    /** The screen's lines now, without trailing empty ones. */
    List<String> lines() {
        String text = raw();
        List<StringBuilder> screen = new ArrayList<>();
        screen.add(new StringBuilder());
        int row = 0;
        int col = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '\033' && i + 1 < text.length() && text.charAt(i + 1) == '[') {
                int end = i + 2;
                while (Character.isDigit(text.charAt(end))) {
                    end++;
                }
                String n = text.substring(i + 2, end);
                char command = text.charAt(end);
                if (command == 'F') {
                    row = Math.max(0, row - (n.isEmpty() ? 1 : Integer.parseInt(n)));
                    col = 0;
                } else if (command == 'J') {
                    StringBuilder line = screen.get(row);
                    line.setLength(Math.min(col, line.length()));
                    while (screen.size() > row + 1) {
                        screen.remove(screen.size() - 1);
                    }
                } else {
                    throw new IllegalStateException("unexpected escape ESC[" + n + command);
                }
                i = end;
            } else if (c == '\n') {
                row++;
                col = 0;
                while (screen.size() <= row) {
                    screen.add(new StringBuilder());
                }
            } else if (c == '\r') {
                col = 0;
            } else {
                if (col >= columns) {
                    row++;
                    col = 0;
                    while (screen.size() <= row) {
                        screen.add(new StringBuilder());
                    }
                }
                StringBuilder line = screen.get(row);
                while (line.length() < col) {
                    line.append(' ');
                }
                if (col < line.length()) {
                    line.setCharAt(col, c);
                } else {
                    line.append(c);
                }
                col++;
            }
        }
        List<String> lines = new ArrayList<>(screen.stream().map(StringBuilder::toString).toList());
        while (!lines.isEmpty() && lines.get(lines.size() - 1).isEmpty()) {
            lines.remove(lines.size() - 1);
        }
        return lines;
    }
}
