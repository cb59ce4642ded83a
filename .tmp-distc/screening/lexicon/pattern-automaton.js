/**
 * Multi-pattern matching (Aho & Corasick, 1975) compiled to a deterministic automaton: failure
 * links are folded into a dense transition table over a compressed alphabet, so scanning costs
 * one table lookup per character whatever the number of patterns.
 *
 * Characters are grouped into classes: one per character that occurs in some pattern, one for
 * every other character, and two special ones:
 * - separators (space, hyphen, underscore, dot, slash…) are one class, and a run of them counts
 *   as one, so "al-naba", "al naba", "al_naba" and "al - naba" are the same;
 * - apostrophe-like marks (' ’ ʼ ʿ ʾ `) are skipped, so "a'maq" matches "amaq", since
 *   transliterations of ʿayn and hamza come with or without them.
 */
const OTHER = 0;
const SEPARATOR = 1;
const IGNORED = 0xffff;
const SEPARATORS = ' -_./\\|·•–—';
const IGNORABLE = "'’‘ʼʻʿʾ`´";
/** Transition table cells above this are refused: a lexicon that large wants another design. */
const MAX_TABLE_CELLS = 64 * 1024 * 1024;
export class PatternAutomaton {
    patternCount;
    classOf = new Uint16Array(65_536);
    classCount;
    /**
     * The transitions, as scanning uses them: the cell for (state, class) holds the next
     * state's row offset (state × classCount), bitwise-negated (~) when that state ends a
     * pattern. One lookup per character, no multiplication, and no second table to consult.
     */
    jump;
    /** Pattern ending exactly at each state, or −1. */
    output;
    /** Nearest state on the failure chain (itself included) that ends a pattern, or −1. */
    firstOutput;
    /** Next state with an output on the failure chain, below this one, or −1. */
    nextOutput;
    /** Length of each pattern in symbols (separator runs count once, skipped marks not at all). */
    symbolLengths;
    /** Further patterns equal to the one a state outputs (lexicons may list a name twice). */
    duplicates = new Map();
    /** `patterns` should already be normalised; equal patterns are reported under each index. */
    constructor(patterns) {
        this.patternCount = patterns.length;
        for (const c of SEPARATORS)
            this.classOf[c.charCodeAt(0)] = SEPARATOR;
        for (const c of IGNORABLE)
            this.classOf[c.charCodeAt(0)] = IGNORED;
        let classes = 2;
        const symbols = patterns.map((pattern) => {
            const out = [];
            for (let i = 0; i < pattern.length; i++) {
                const code = pattern.charCodeAt(i);
                let cls = this.classOf[code];
                if (cls === OTHER) {
                    cls = classes++;
                    this.classOf[code] = cls;
                }
                if (cls === IGNORED || (cls === SEPARATOR && out[out.length - 1] === SEPARATOR))
                    continue;
                out.push(cls);
            }
            return out;
        });
        this.classCount = classes;
        this.symbolLengths = Int32Array.from(symbols, (s) => s.length);
        // The trie, with children in maps while it is built.
        const children = [new Map()];
        const ends = [[]];
        symbols.forEach((word, index) => {
            if (word.length === 0)
                return;
            let state = 0;
            for (const cls of word) {
                let next = children[state].get(cls);
                if (next === undefined) {
                    next = children.length;
                    children.push(new Map());
                    ends.push([]);
                    children[state].set(cls, next);
                }
                state = next;
            }
            ends[state].push(index);
        });
        const states = children.length;
        if (states * classes > MAX_TABLE_CELLS) {
            throw new RangeError(`lexicon too large: ${states} states × ${classes} character classes`);
        }
        const delta = new Int32Array(states * classes);
        this.output = new Int32Array(states).fill(-1);
        this.firstOutput = new Int32Array(states).fill(-1);
        this.nextOutput = new Int32Array(states).fill(-1);
        const failure = new Int32Array(states);
        const incoming = new Int32Array(states).fill(-1);
        for (let state = 0; state < states; state++) {
            const list = ends[state];
            if (list.length > 0)
                this.output[state] = list[0];
            if (list.length > 1)
                this.duplicates.set(list[0], list.slice(1));
        }
        // Breadth-first: every state's failure and transitions from shallower states.
        const queue = [];
        for (let cls = 0; cls < classes; cls++) {
            const child = children[0].get(cls);
            if (child !== undefined) {
                failure[child] = 0;
                incoming[child] = cls;
                queue.push(child);
                delta[cls] = child;
            }
        }
        for (let head = 0; head < queue.length; head++) {
            const state = queue[head];
            const fail = failure[state];
            this.firstOutput[state] =
                this.output[state] >= 0 ? state : this.firstOutput[fail];
            this.nextOutput[state] = this.firstOutput[fail];
            const row = state * classes;
            const failRow = fail * classes;
            for (let cls = 0; cls < classes; cls++) {
                const child = children[state].get(cls);
                if (child === undefined) {
                    delta[row + cls] = delta[failRow + cls];
                }
                else {
                    failure[child] = delta[failRow + cls];
                    incoming[child] = cls;
                    queue.push(child);
                    delta[row + cls] = child;
                }
            }
            // A run of separators is one separator: stay after the first unless the trie continues.
            if (incoming[state] === SEPARATOR && !children[state].has(SEPARATOR)) {
                delta[row + SEPARATOR] = state;
            }
        }
        this.firstOutput[0] = -1;
        this.jump = delta.map((next) => this.firstOutput[next] >= 0 ? ~(next * classes) : next * classes);
    }
    /** Every occurrence of every pattern in `text`, overlapping ones included, by end position. */
    scan(text, hits = []) {
        const { classOf, jump, classCount } = this;
        let row = 0;
        for (let i = 0; i < text.length; i++) {
            const cls = classOf[text.charCodeAt(i)];
            if (cls === IGNORED)
                continue;
            const next = jump[row + cls];
            if (next >= 0) {
                row = next;
            }
            else {
                row = ~next;
                this.report(text, row / classCount, i + 1, hits);
            }
        }
        return hits;
    }
    report(text, state, end, hits) {
        for (let at = this.firstOutput[state]; at >= 0; at = this.nextOutput[at]) {
            const pattern = this.output[at];
            const start = this.startOf(text, end, this.symbolLengths[pattern]);
            hits.push({ pattern, start, end });
            for (const same of this.duplicates.get(pattern) ?? [])
                hits.push({ pattern: same, start, end });
        }
    }
    /** Walks back `symbols` symbols from `end`, as the automaton counted them. */
    startOf(text, end, symbols) {
        let position = end;
        let remaining = symbols;
        while (remaining > 0 && position > 0) {
            position--;
            const cls = this.classOf[text.charCodeAt(position)];
            if (cls === IGNORED)
                continue;
            if (cls === SEPARATOR) {
                while (position > 0 && this.classOf[text.charCodeAt(position - 1)] === SEPARATOR)
                    position--;
            }
            remaining--;
        }
        return position;
    }
}
