// Characters that look like ASCII but are not: what a copy from a web page or a chat brings into a
// setting. Pure; SettingsError names them in its problems.

/** Letters of other scripts drawn like ASCII ones, and the ASCII they pass for. */
const confusables: Readonly<Record<string, string>> = {
    // Cyrillic
    "\u0430": "a",
    "\u0435": "e",
    "\u043e": "o",
    "\u0440": "p",
    "\u0441": "c",
    "\u0443": "y",
    "\u0445": "x",
    "\u0456": "i",
    "\u0458": "j",
    "\u0455": "s",
    "\u0501": "d",
    "\u0410": "A",
    "\u0412": "B",
    "\u0415": "E",
    "\u041a": "K",
    "\u041c": "M",
    "\u041d": "H",
    "\u041e": "O",
    "\u0420": "P",
    "\u0421": "C",
    "\u0422": "T",
    "\u0425": "X",
    "\u0406": "I",
    // Greek
    "\u03bf": "o",
    "\u03b1": "a",
    "\u03bd": "v",
    "\u0391": "A",
    "\u0392": "B",
    "\u0395": "E",
    "\u0397": "H",
    "\u0399": "I",
    "\u039a": "K",
    "\u039c": "M",
    "\u039d": "N",
    "\u039f": "O",
    "\u03a1": "P",
    "\u03a4": "T",
    "\u03a7": "X",
    "\u03a5": "Y",
    "\u0396": "Z",
    // Punctuation a word processor substitutes
    "\u2010": "-",
    "\u2011": "-",
    "\u2012": "-",
    "\u2013": "-",
    "\u2014": "-",
    "\u2212": "-",
    "\u2018": "'",
    "\u2019": "'",
    "\u201c": '"',
    "\u201d": '"',
    "\u2024": ".",
    "\u2044": "/",
    "\u2215": "/",
    "\uff0e": ".",
    // Spaces that are not U+0020
    "\u00a0": " ",
    "\u2002": " ",
    "\u2003": " ",
    "\u2009": " ",
    "\u202f": " ",
};

/** Characters that show as nothing at all. */
const invisible = new Set(["\u200b", "\u200c", "\u200d", "\u2060", "\ufeff", "\u00ad"]);

/** One character that is not what it looks like. */
export interface Lookalike {
    /** U+0430 */
    readonly codePoint: string;
    /** What it passes for, or "" for an invisible one. */
    readonly looksLike: string;
}

/** The look-alike and invisible characters in a text, each once, in order. */
export function lookalikesIn(text: string): Lookalike[] {
    const found = new Map<string, Lookalike>();
    for (const char of text) {
        if (char.charCodeAt(0) < 0x80 || found.has(char)) continue;
        const normalized = char.normalize("NFKC");
        const looksLike = invisible.has(char) ? "" : (confusables[char] ?? (/^[\x20-\x7e]$/.test(normalized) ? normalized : undefined));
        if (looksLike !== undefined) {
            found.set(char, { codePoint: `U+${char.codePointAt(0)!.toString(16).toUpperCase().padStart(4, "0")}`, looksLike });
        }
    }
    return [...found.values()];
}

/** The text with every look-alike replaced by the ASCII it passes for, and every invisible character removed. */
export function withoutLookalikes(text: string): string {
    let plain = "";
    for (const char of text) {
        const [lookalike] = lookalikesIn(char);
        plain += lookalike ? lookalike.looksLike : char;
    }
    return plain;
}

/** "holds U+0430 where it looks like a, and an invisible U+200B": what a problem adds when its key or value has them; "" when not. */
export function lookalikeNote(text: string): string {
    const found = lookalikesIn(text);
    if (found.length === 0) return "";
    const parts = found.map((l) => (l.looksLike === "" ? `an invisible ${l.codePoint}` : `${l.codePoint} where it looks like ${JSON.stringify(l.looksLike)}`));
    return `it holds ${parts.join(", ")}; type it again in plain ASCII`;
}
