export const id = 568;
export const ids = [568];
export const modules = {

/***/ 65568:
/***/ ((__unused_webpack___webpack_module__, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   parseYamlMapping: () => (/* binding */ parseYamlMapping)
/* harmony export */ });
/* harmony import */ var yaml__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(88293);
/* harmony import */ var _is_mapping_js__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(21029);


function firstLine(message) {
    const line = message.split('\n')[0] ?? message;
    return line.length > 300 ? `${line.slice(0, 300)}…` : line;
}
/** At most this many characters of a source line are shown in an excerpt. */
const MAX_EXCERPT_LINE = 200;
/**
 * The YAML library's excerpt of a problem (the offending line, with the line
 * before it for context where it has one, and a caret under the column),
 * without the blank lines around it and with long lines cut.
 */
function excerptOf(message) {
    const lines = message.split('\n').slice(1);
    while (lines.length > 0 && lines[0]?.trim() === '')
        lines.shift();
    while (lines.length > 0 && lines.at(-1)?.trim() === '')
        lines.pop();
    if (lines.length === 0 || !/^\s*\^+\s*$/.test(lines.at(-1) ?? ''))
        return undefined;
    return lines
        .map((line) => (line.length > MAX_EXCERPT_LINE ? `${line.slice(0, MAX_EXCERPT_LINE)}…` : line))
        .join('\n');
}
function failure(message) {
    const reason = firstLine(message).replace(/:$/, '');
    const excerpt = excerptOf(message);
    return excerpt === undefined ? { ok: false, reason } : { ok: false, reason, excerpt };
}
/**
 * Parses `text` as a single YAML 1.2 document (core schema) whose top level is
 * a mapping. Duplicate keys, tags outside the core schema, several documents
 * and alias expansion beyond `maxAliasCount` are failures, reported as a
 * one-line reason with the position.
 */
function parseYamlMapping(text, options = {}) {
    const document = (0,yaml__WEBPACK_IMPORTED_MODULE_0__/* .parseDocument */ .Tp)(text, {
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
        return { ok: false, reason: firstLine(error instanceof Error ? error.message : String(error)) };
    }
    if (!(0,_is_mapping_js__WEBPACK_IMPORTED_MODULE_1__/* .isMapping */ .p)(value)) {
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
