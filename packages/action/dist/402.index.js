export const id = 402;
export const ids = [402];
export const modules = {

/***/ 56402:
/***/ ((__unused_webpack___webpack_module__, __webpack_exports__, __webpack_require__) => {


// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  parseYamlMapping: () => (/* binding */ parseYamlMapping)
});

// EXTERNAL MODULE: ../../node_modules/.pnpm/yaml@2.9.1/node_modules/yaml/dist/index.js
var dist = __webpack_require__(88293);
;// CONCATENATED MODULE: ../core/dist/spicepod/describe-yaml-problem.js
/** At most this many characters of the reason are kept. */
const MAX_REASON = 300;
/** At most this many characters of a source line are shown in an excerpt. */
const MAX_EXCERPT_LINE = 200;
function cut(text, limit) {
    return text.length > limit ? `${text.slice(0, limit)}…` : text;
}
/**
 * The excerpt the YAML library appends to a message (after a blank line:
 * the offending line, the one before it where it helps, then a line of
 * carets), without the blank lines around it and with long lines cut; none
 * when the message's later lines do not end with a caret line.
 */
function excerptOf(laterLines) {
    const lines = [...laterLines];
    while (lines.length > 0 && lines[0]?.trim() === '')
        lines.shift();
    while (lines.length > 0 && lines.at(-1)?.trim() === '')
        lines.pop();
    // The last line: carets under the problem, after the column's spaces.
    if (!/^\s*\^+\s*$/.test(lines.at(-1) ?? ''))
        return undefined;
    return lines.map((line) => cut(line, MAX_EXCERPT_LINE)).join('\n');
}
/**
 * Splits a message of the YAML library (`prettyErrors`: the problem and its
 * position on the first line, then the excerpt) into a one-line reason and
 * the excerpt, when it has one.
 */
function describeYamlProblem(message) {
    const [first = '', ...later] = message.split('\n');
    const reason = cut(first, MAX_REASON).replace(/:$/, '');
    const excerpt = excerptOf(later);
    return excerpt === undefined ? { reason } : { reason, excerpt };
}
//# sourceMappingURL=describe-yaml-problem.js.map
// EXTERNAL MODULE: ../core/dist/spicepod/is-mapping.js
var is_mapping = __webpack_require__(21029);
;// CONCATENATED MODULE: ../core/dist/spicepod/parse-yaml-mapping.js



function failure(message) {
    return { ok: false, ...describeYamlProblem(message) };
}
/**
 * Parses `text` as a single YAML 1.2 document (core schema) whose top level is
 * a mapping. Duplicate keys, tags outside the core schema, several documents
 * and alias expansion beyond `maxAliasCount` are failures, reported as a
 * one-line reason with the position.
 */
function parseYamlMapping(text, options = {}) {
    const document = (0,dist/* parseDocument */.Tp)(text, {
        uniqueKeys: true,
        resolveKnownTags: false,
        prettyErrors: true,
        schema: 'core',
    });
    const problem = document.errors[0] ?? document.warnings.find((w) => w.code === 'TAG_RESOLVE_FAILED');
    if (problem !== undefined)
        return failure(problem.message);
    let value;
    try {
        value = document.toJS({ maxAliasCount: options.maxAliasCount ?? 20 });
    }
    catch (error) {
        return failure(error instanceof Error ? error.message : String(error));
    }
    if (!(0,is_mapping/* isMapping */.p)(value)) {
        const actual = value === null || value === undefined
            ? 'empty'
            : Array.isArray(value)
                ? 'a list'
                : `a ${typeof value}`;
        return {
            ok: false,
            reason: `the document must be a mapping of keys to values, but it is ${actual}`,
        };
    }
    return { ok: true, value };
}
//# sourceMappingURL=parse-yaml-mapping.js.map

/***/ })

};
