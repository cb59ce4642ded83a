/**
 * A refusal thrown inside the target parser (targets.ts, web-targets.ts) and caught once in
 * `parseTarget`, which turns it into the reason a 400 gives; it never escapes the parser.
 */
export class Refusal extends Error {
    /** False when the input must not be echoed (it holds a password). */
    echo;
    constructor(predicate, echo = true) {
        super(predicate);
        this.echo = echo;
    }
}
