// The nearest known word to a mistyped one, for "did you mean" fixes. Pure.
import { withoutLookalikes } from "./lookalikes";

/** Edit distance between two words, case-insensitive (a transposition counts as one edit). */
export function editDistance(a: string, b: string): number {
    const x = a.toLowerCase();
    const y = b.toLowerCase();
    const d = Array.from({ length: x.length + 1 }, (_, i) => Array.from({ length: y.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)));
    for (let i = 1; i <= x.length; i++) {
        for (let j = 1; j <= y.length; j++) {
            d[i][j] = Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + (x[i - 1] === y[j - 1] ? 0 : 1));
            if (i > 1 && j > 1 && x[i - 1] === y[j - 2] && x[i - 2] === y[j - 1]) d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
        }
    }
    return d[x.length][y.length];
}

/** The known word closest to `word`, if one is close enough to be what was meant. */
export function nearestWord(word: string, known: Iterable<string>): string | undefined {
    const [nearest] = [...known].sort((a, b) => editDistance(word, a) - editDistance(word, b) || a.localeCompare(b));
    return nearest !== undefined && editDistance(word, nearest) <= Math.max(2, Math.floor(nearest.length / 4)) ? nearest : undefined;
}

/**
 * The choice a value was meant to be: the same word in another case or with look-alike characters
 * first (Docker is docker, not the nearest other choice), then the nearest by edit distance.
 */
export function nearestChoice(value: string, choices: readonly string[]): string | undefined {
    const plain = withoutLookalikes(value).trim().toLowerCase();
    return choices.find((choice) => choice.toLowerCase() === plain) ?? nearestWord(plain, choices);
}
