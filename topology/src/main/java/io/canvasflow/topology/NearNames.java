package io.canvasflow.topology;

import java.util.Collection;
import java.util.Optional;

/**
 * The known name a misspelt one was most likely meant to be: one letter (for a short name) or two
 * away, counting a letter added, dropped, changed or two swapped ({@code sesion.timeout.ms}, {@code
 * topic.frame}, {@code topic.dql}), so that a refusal can say which name to give.
 */
final class NearNames {

    private NearNames() {}

    /**
     * The known name nearest to {@code name}, where one is near enough to be what was meant.
     *
     * @param name a name no definition knows
     * @param known the names it may have been meant as
     * @return the nearest, the first in {@code known}'s order among equally near ones
     */
    static Optional<String> nearest(String name, Collection<String> known) {
        // Short names are near many others: two letters off "acks" is no longer a typo of it
        int limit = name.length() < 8 ? 1 : 2;
        String best = null;
        int bestDistance = limit + 1;
        for (String candidate : known) {
            int d = distance(name, candidate);
            if (d < bestDistance) {
                best = candidate;
                bestDistance = d;
            }
        }
        return Optional.ofNullable(best);
    }

    /**
     * Edits from one name to another: letters added, dropped or changed, two neighbours swapped.
     */
    static int distance(String a, String b) {
        int[][] d = new int[a.length() + 1][b.length() + 1];
        for (int i = 0; i <= a.length(); i++) {
            d[i][0] = i;
        }
        for (int j = 0; j <= b.length(); j++) {
            d[0][j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                d[i][j] =
                        Math.min(
                                Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1), d[i - 1][j - 1] + cost);
                if (i > 1
                        && j > 1
                        && a.charAt(i - 1) == b.charAt(j - 2)
                        && a.charAt(i - 2) == b.charAt(j - 1)) {
                    d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
                }
            }
        }
        return d[a.length()][b.length()];
    }
}
