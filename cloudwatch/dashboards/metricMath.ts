import { promDuration } from "../translateAlarms";

/**
 * CloudWatch metric math (the expressions of a metric widget's rows) as PromQL, where its
 * functions have a PromQL equivalent: + - * / ^ between series and numbers, SUM, AVG, MAX and MIN
 * of an array of series (across the series, at each point), RATE and DIFF (from the previous
 * period's datapoint), ABS, CEIL, FLOOR, LOG, LOG10, FILL with a number, PERIOD and METRICS().
 * Anything else is a reason, never a guess.
 */

/** What a row id stands for: its PromQL, or why it has none. */
export type RowQuery = { readonly promql: string } | { readonly reason: string };

/** The outcome: PromQL with the differences to CloudWatch it carries, or why there is none. */
export type MathResult = { readonly promql: string; readonly approximations: readonly string[] } | { readonly reason: string };

interface Token {
    readonly kind: "number" | "name" | "string" | "op";
    readonly text: string;
}

function tokenize(expression: string): Token[] | string {
    const tokens: Token[] = [];
    const pattern = /\s*(?:(\d+(?:\.\d+)?(?:[eE][-+]?\d+)?)|([A-Za-z_][A-Za-z0-9_]*)|"((?:[^"\\]|\\.)*)"|'((?:[^'\\]|\\.)*)'|([-+*/^(),[\]]))/y;
    let at = 0;
    while (at < expression.length) {
        if (/^\s+$/.test(expression.slice(at))) break;
        pattern.lastIndex = at;
        const match = pattern.exec(expression);
        if (!match) return `cannot read "${expression.slice(at).trim()}" in the expression ${expression}`;
        at = pattern.lastIndex;
        if (match[1] !== undefined) tokens.push({ kind: "number", text: match[1] });
        else if (match[2] !== undefined) tokens.push({ kind: "name", text: match[2] });
        else if (match[3] !== undefined || match[4] !== undefined) tokens.push({ kind: "string", text: match[3] ?? match[4] });
        else tokens.push({ kind: "op", text: match[5] });
    }
    return tokens;
}

/** A value of the expression: a number, one series (PromQL), or an array of series (for SUM, AVG, ...). */
type Value =
    | { readonly kind: "scalar"; readonly promql: string }
    | { readonly kind: "series"; readonly promql: string }
    | { readonly kind: "array"; readonly members: readonly { readonly id: string; readonly promql: string }[] };

class Unsupported extends Error {}

const acrossSeries: Record<string, string> = { SUM: "sum", AVG: "avg", MAX: "max", MIN: "min" };
const elementwise: Record<string, string> = { ABS: "abs", CEIL: "ceil", FLOOR: "floor", LOG: "ln", LOG10: "log10" };

/**
 * Translates `expression` of the widget, whose rows' PromQL `rowQuery` gives by id (the metric
 * rows of the widget in order for METRICS()), with `period` the widget's period in seconds.
 */
export function translateMetricMath(
    expression: string,
    rowQuery: (id: string) => RowQuery | undefined,
    metricIds: readonly string[],
    period: number,
): MathResult {
    const tokens = tokenize(expression);
    if (typeof tokens === "string") return { reason: tokens };
    const approximations: string[] = [];
    let at = 0;
    const peek = () => tokens[at];
    const take = (text?: string): Token => {
        const token = tokens[at];
        if (!token || (text !== undefined && token.text !== text))
            throw new Unsupported(`expected ${text ?? "a value"} at ${token ? `"${token.text}"` : "the end"}`);
        at++;
        return token;
    };
    const series = (value: Value, where: string): string => {
        if (value.kind === "array") {
            if (value.members.length === 1) return value.members[0].promql;
            throw new Unsupported(`${where} takes one series, and is given an array of ${value.members.length}`);
        }
        return value.promql;
    };
    const row = (id: string): string => {
        const query = rowQuery(id);
        if (query === undefined) throw new Unsupported(`it names ${id}, which is no row of the widget`);
        if ("reason" in query) throw new Unsupported(`it reads ${id}, which is not translated (${query.reason})`);
        return `(${query.promql})`;
    };
    const union = (members: readonly { id: string; promql: string }[]) =>
        members.length === 1
            ? members[0].promql
            : members.map((m) => `label_replace(${m.promql}, "cloudwatch_id", ${JSON.stringify(m.id)}, "", "")`).join(" or ");
    const change = (inner: string) => `delta((${inner})[${promDuration(period)}:${promDuration(period)}])`;

    const call = (name: string): Value => {
        take("(");
        const args: Value[] = [];
        let text: string | undefined;
        if (peek()?.text !== ")") {
            for (;;) {
                if (peek()?.kind === "string") text = take().text;
                else args.push(expr());
                if (peek()?.text !== ",") break;
                take(",");
            }
        }
        take(")");
        if (text !== undefined && name !== "METRICS") throw new Unsupported(`${name} with a text argument has no PromQL equivalent`);
        if (name === "METRICS") {
            if (args.length > 0) throw new Unsupported("METRICS takes only a text to match the rows' ids");
            const filter = text ?? "";
            const ids = metricIds.filter((id) => id.includes(filter));
            if (ids.length === 0) throw new Unsupported(`METRICS(${filter === "" ? "" : JSON.stringify(filter)}) selects no row`);
            return { kind: "array", members: ids.map((id) => ({ id, promql: row(id) })) };
        }
        if (name in acrossSeries) {
            const [arg] = args;
            if (args.length !== 1) throw new Unsupported(`${name} takes one argument`);
            if (arg.kind === "array" && arg.members.length > 1) return { kind: "series", promql: `${acrossSeries[name]}(${union(arg.members)})` };
            throw new Unsupported(`${name} of a single series is one number for the whole time range, which a Grafana series cannot hold`);
        }
        if (name in elementwise) {
            if (args.length !== 1) throw new Unsupported(`${name} takes one argument`);
            const arg = args[0];
            return arg.kind === "scalar"
                ? { kind: "scalar", promql: `scalar(${elementwise[name]}(vector(${arg.promql})))` }
                : { kind: "series", promql: `${elementwise[name]}(${series(arg, name)})` };
        }
        if (name === "RATE" || name === "DIFF") {
            if (args.length !== 1) throw new Unsupported(`${name} takes one argument`);
            const difference = change(series(args[0], name));
            return { kind: "series", promql: name === "RATE" ? `${difference} / ${period}` : difference };
        }
        if (name === "PERIOD") return { kind: "scalar", promql: String(period) };
        if (name === "FILL") {
            if (args.length !== 2 || args[1].kind !== "scalar" || !/^-?[\d.]/.test(args[1].promql)) {
                throw new Unsupported("FILL is translated with a number to fill with; REPEAT, LINEAR and metric fills are not");
            }
            approximations.push("FILL: the number stands in only where the whole series is missing, not for each missing datapoint of a series");
            return { kind: "series", promql: `(${series(args[0], "FILL")}) or on() vector(${args[1].promql})` };
        }
        throw new Unsupported(`the function ${name} has no PromQL equivalent here`);
    };

    const primary = (): Value => {
        const token = take();
        if (token.kind === "number") return { kind: "scalar", promql: token.text };
        if (token.text === "(") {
            const inner = expr();
            take(")");
            return inner.kind === "array" ? inner : { kind: inner.kind, promql: `(${inner.promql})` };
        }
        if (token.text === "[") {
            const members: { id: string; promql: string }[] = [];
            for (;;) {
                const id = take().text;
                members.push({ id, promql: row(id) });
                if (peek()?.text !== ",") break;
                take(",");
            }
            take("]");
            return { kind: "array", members };
        }
        if (token.kind === "name") {
            if (peek()?.text === "(") return call(token.text);
            return { kind: "series", promql: row(token.text) };
        }
        throw new Unsupported(`unexpected "${token.text}"`);
    };
    const binary = (left: Value, op: string, right: Value): Value => {
        if (left.kind === "scalar" && right.kind === "scalar") return { kind: "scalar", promql: `${left.promql} ${op} ${right.promql}` };
        return { kind: "series", promql: `${series(left, op)} ${op} ${series(right, op)}` };
    };
    const power = (): Value => {
        const base = primary();
        if (peek()?.text === "^") {
            take("^");
            return binary(base, "^", unary());
        }
        return base;
    };
    const unary = (): Value => {
        if (peek()?.text === "-") {
            take("-");
            const value = unary();
            return value.kind === "scalar" ? { kind: "scalar", promql: `-${value.promql}` } : { kind: "series", promql: `-(${series(value, "-")})` };
        }
        return power();
    };
    const term = (): Value => {
        let value = unary();
        while (peek()?.text === "*" || peek()?.text === "/") value = binary(value, take().text, unary());
        return value;
    };
    const expr = (): Value => {
        let value = term();
        while (peek()?.text === "+" || peek()?.text === "-") value = binary(value, take().text, term());
        return value;
    };

    try {
        const value = expr();
        if (at < tokens.length) throw new Unsupported(`unexpected "${tokens[at].text}"`);
        if (value.kind === "array") {
            if (value.members.length !== 1) throw new Unsupported("it is an array of series; graph its rows themselves");
            return { promql: value.members[0].promql, approximations };
        }
        return { promql: value.kind === "scalar" ? `vector(${value.promql})` : value.promql, approximations };
    } catch (error) {
        if (error instanceof Unsupported) return { reason: `metric math ${expression}: ${error.message}` };
        throw error;
    }
}
