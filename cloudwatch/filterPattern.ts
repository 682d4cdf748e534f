// CloudWatch Logs filter patterns (metric filters) as LogsQL, for the log rules the alarm translator writes. Pure.

/** A filter pattern as LogsQL: the filter (before any pipe) and the pipes that select what JSON patterns test. */
export interface LogsqlMatch {
    /** A LogsQL filter on the message, "*" for every line. */
    readonly filter: string;
    /** Pipes after the filter (unpack_json and its filter, for a JSON pattern), each starting with "| ". */
    readonly pipes: readonly string[];
}

/** Why a pattern cannot be expressed. */
export interface UntranslatablePattern {
    readonly reason: string;
}

/** A LogsQL string literal: JSON's quoting is LogsQL's. */
const literal = (text: string): string => JSON.stringify(text);

/** The prefix under which a JSON pattern's fields are unpacked from the message, apart from the record's own fields. */
export const jsonFieldPrefix = "cw.";

/**
 * Translates one filter pattern, as `aws logs describe-metric-filters` prints it, into LogsQL that
 * matches the same log lines:
 * - "" matches every line;
 * - terms and "quoted phrases" (every one must be in the line; case-sensitive word and phrase
 *   filters, as CloudWatch's terms are), `-term` (must not be), `?term ?term` (any of them);
 * - `%regex%` (a regexp filter on the message);
 * - JSON patterns `{ $.a.b = "x" && ($.n > 5 || $.ok IS TRUE) }`: the message unpacked as JSON,
 *   with =, != (strings, exactly or by a prefix ending in *), the numeric comparisons, IS TRUE, IS FALSE and
 *   NOT EXISTS.
 * Space-delimited patterns ([ip, user, ...]), array selectors and IS NULL are not translated.
 */
export function filterPatternToLogsql(pattern: string): LogsqlMatch | UntranslatablePattern {
    const text = pattern.trim();
    if (text === "" || text === '""') return { filter: "*", pipes: [] };
    if (text.startsWith("[")) {
        return {
            reason: "space-delimited patterns ([field, field, ...]) are not translated: extract the fields with LogsQL's extract pipe and write the rule by hand",
        };
    }
    if (text.startsWith("{")) return jsonPattern(text);
    if (/^%.*%$/s.test(text)) return { filter: `~${literal(text.slice(1, -1))}`, pipes: [] };
    return termPattern(text);
}

/** Terms, quoted phrases, exclusions and alternatives. */
function termPattern(text: string): LogsqlMatch | UntranslatablePattern {
    const tokens: { kind: "all" | "not" | "any"; value: string }[] = [];
    const re = /\s*([?-]?)(?:"((?:[^"\\]|\\.)*)"|(\S+))/gy;
    let match: RegExpExecArray | null;
    let consumed = 0;
    while ((match = re.exec(text)) !== null) {
        const value = match[2] !== undefined ? (JSON.parse(`"${match[2]}"`) as string) : match[3];
        if (value === "") return { reason: `an empty term in ${JSON.stringify(text)}` };
        if (match[3] !== undefined && /["%{}[\]]/.test(value)) return { reason: `the term ${value} is neither a word nor a quoted phrase` };
        tokens.push({ kind: match[1] === "?" ? "any" : match[1] === "-" ? "not" : "all", value });
        consumed = re.lastIndex;
    }
    if (text.slice(consumed).trim() !== "") return { reason: `cannot read ${JSON.stringify(text.slice(consumed))} as terms or quoted phrases` };
    const any = tokens.filter((t) => t.kind === "any");
    if (any.length > 0 && any.length < tokens.length) {
        return { reason: "? alternatives mixed with required or excluded terms are not translated: CloudWatch gives that mix no documented meaning" };
    }
    if (any.length > 0) return { filter: any.length === 1 ? literal(any[0].value) : `(${any.map((t) => literal(t.value)).join(" OR ")})`, pipes: [] };
    if (tokens.every((t) => t.kind === "not")) {
        return { filter: ["*", ...tokens.map((t) => `NOT ${literal(t.value)}`)].join(" "), pipes: [] };
    }
    return { filter: tokens.map((t) => (t.kind === "not" ? `NOT ${literal(t.value)}` : literal(t.value))).join(" "), pipes: [] };
}

/** A JSON pattern: a selector expression over the message parsed as JSON. */
function jsonPattern(text: string): LogsqlMatch | UntranslatablePattern {
    if (!text.endsWith("}")) return { reason: "a JSON pattern must end with }" };
    const parser = new JsonPatternParser(text.slice(1, -1));
    let condition: string;
    try {
        condition = parser.parse();
    } catch (error) {
        return { reason: (error as Error).message };
    }
    const fields = [...parser.fields].sort();
    return {
        filter: "*",
        pipes: [`| unpack_json from _msg fields (${fields.join(", ")}) result_prefix ${literal(jsonFieldPrefix)}`, `| filter ${condition}`],
    };
}

/** A recursive-descent reader of a JSON pattern's inside: or-expressions of and-expressions of comparisons. */
class JsonPatternParser {
    private position = 0;
    readonly fields = new Set<string>();

    constructor(private readonly text: string) {}

    parse(): string {
        const expression = this.or();
        this.space();
        if (this.position < this.text.length) throw new Error(`cannot read ${JSON.stringify(this.text.slice(this.position))} in the JSON pattern`);
        return expression;
    }

    private space(): void {
        while (/\s/.test(this.text[this.position] ?? "")) this.position++;
    }

    private accept(token: string): boolean {
        this.space();
        if (this.text.startsWith(token, this.position)) {
            this.position += token.length;
            return true;
        }
        return false;
    }

    private acceptWord(word: string): boolean {
        this.space();
        const next = this.text.slice(this.position, this.position + word.length);
        if (next.toUpperCase() === word && !/[A-Za-z0-9_]/.test(this.text[this.position + word.length] ?? "")) {
            this.position += word.length;
            return true;
        }
        return false;
    }

    private or(): string {
        const parts = [this.and()];
        while (this.accept("||")) parts.push(this.and());
        return parts.length === 1 ? parts[0] : `(${parts.join(" or ")})`;
    }

    private and(): string {
        const parts = [this.term()];
        while (this.accept("&&")) parts.push(this.term());
        return parts.length === 1 ? parts[0] : `(${parts.join(" and ")})`;
    }

    private term(): string {
        if (this.accept("(")) {
            const inner = this.or();
            if (!this.accept(")")) throw new Error("a ( without its ) in the JSON pattern");
            return inner;
        }
        return this.comparison();
    }

    private selector(): string {
        this.space();
        const match = /^\$((?:\.[A-Za-z0-9_@-]+|\[[^\]]*\])+)/.exec(this.text.slice(this.position));
        if (!match) throw new Error(`expected a selector such as $.level at ${JSON.stringify(this.text.slice(this.position, this.position + 20))}`);
        if (match[1].includes("[")) throw new Error(`array selectors such as ${match[0]} are not translated`);
        this.position += match[0].length;
        const field = match[1].slice(1);
        this.fields.add(field);
        return `${jsonFieldPrefix}${field}`;
    }

    private comparison(): string {
        const field = this.selector();
        const name = /^[A-Za-z0-9_.]+$/.test(field) ? field : literal(field);
        if (this.acceptWord("IS")) {
            if (this.acceptWord("TRUE")) return `${name}:="true"`;
            if (this.acceptWord("FALSE")) return `${name}:="false"`;
            if (this.acceptWord("NULL")) throw new Error("IS NULL is not translated: unpacked, a JSON null and a missing field look the same");
            throw new Error("IS must be followed by TRUE, FALSE or NULL");
        }
        if (this.acceptWord("NOT")) {
            if (this.acceptWord("EXISTS")) return `${name}:""`;
            throw new Error("NOT must be followed by EXISTS");
        }
        this.space();
        const operator = /^(!=|<=|>=|=|<|>)/.exec(this.text.slice(this.position))?.[1];
        if (!operator) throw new Error(`expected =, !=, <, >, <=, >=, IS or NOT EXISTS after ${field.slice(jsonFieldPrefix.length)}`);
        this.position += operator.length;
        this.space();
        const rest = this.text.slice(this.position);
        const number = /^-?\d+(\.\d+)?([eE][-+]?\d+)?(?![A-Za-z0-9_"*])/.exec(rest);
        if (number) {
            this.position += number[0].length;
            const n = number[0];
            switch (operator) {
                case "=":
                    return `${name}:range[${n}, ${n}]`;
                case "!=":
                    return `NOT ${name}:range[${n}, ${n}]`;
                default:
                    return `${name}:${operator}${n}`;
            }
        }
        if (operator !== "=" && operator !== "!=") throw new Error(`${operator} compares numbers, and ${JSON.stringify(rest.slice(0, 20))} is not one`);
        const quoted = /^"((?:[^"\\]|\\.)*)"/.exec(rest);
        const bare = quoted ? undefined : /^[^\s&|()]+/.exec(rest);
        if (!quoted && !bare) throw new Error(`expected a value after ${operator}`);
        this.position += (quoted ?? bare)![0].length;
        const value = quoted ? (JSON.parse(`"${quoted[1]}"`) as string) : bare![0];
        const negate = operator === "!=" ? "NOT " : "";
        const star = value.indexOf("*");
        if (star === -1) return `${negate}${name}:=${literal(value)}`;
        if (star === value.length - 1 && value.indexOf("*") === value.lastIndexOf("*")) return `${negate}${name}:=${literal(value.slice(0, -1))}*`;
        throw new Error(`the wildcard in ${JSON.stringify(value)} is translated only at the end of a value`);
    }
}
