// A local lint rule: a promise's failure may not vanish without a word. `.catch(() => undefined)`
// (or `{}`, `false`, `null`, `[]`, `void …`) must either log what was given up or carry a
// comment, inside the handler or on its line or the line above, saying why nothing can be done.
// Empty `catch {}` blocks are `no-empty`'s business (a comment inside satisfies it too).

const SILENT_VALUES = new Set(['undefined']);

/** True for a handler with no parameters whose body does nothing or yields a constant. */
function isSilentHandler(fn) {
  if (fn.type !== 'ArrowFunctionExpression' && fn.type !== 'FunctionExpression') return false;
  if (fn.params.length > 0) return false;
  const b = fn.body;
  if (b.type === 'BlockStatement') return b.body.length === 0;
  if (b.type === 'Identifier') return SILENT_VALUES.has(b.name);
  if (b.type === 'Literal') return b.value === null || typeof b.value === 'boolean';
  if (b.type === 'ArrayExpression') return b.elements.length === 0;
  if (b.type === 'UnaryExpression') return b.operator === 'void';
  return false;
}

/** @type {import('eslint').Rule.RuleModule} */
const silentCatch = {
  meta: {
    type: 'suggestion',
    docs: { description: 'a swallowed promise failure logs, or a comment says why it may vanish' },
    schema: [],
    messages: {
      silent:
        'This .catch() drops the failure without a word: log what was given up (ctx.log.debug/warn), or say in a comment why nothing can be done.',
    },
  },
  create(context) {
    const source = context.sourceCode;
    return {
      CallExpression(node) {
        const callee = node.callee;
        if (callee.type !== 'MemberExpression' || callee.computed) return;
        if (callee.property.type !== 'Identifier' || callee.property.name !== 'catch') return;
        const [fn] = node.arguments;
        if (!fn || !isSilentHandler(fn)) return;
        // Where a comment may stand: on the `.catch` line or the one above, or above the
        // statement it is part of (one comment for a group of fallbacks).
        const lines = new Set([callee.property.loc.start.line]);
        const stmt = source
          .getAncestors(node)
          .findLast((a) => /Statement$|Declaration$/.test(a.type));
        if (stmt) lines.add(stmt.loc.start.line);
        const said = source
          .getAllComments()
          .some(
            (c) =>
              (c.range[0] >= fn.range[0] && c.range[1] <= fn.range[1]) ||
              lines.has(c.loc.end.line) ||
              lines.has(c.loc.end.line + 1),
          );
        if (!said) context.report({ node: callee.property, messageId: 'silent' });
      },
    };
  },
};

export default { rules: { 'silent-catch': silentCatch } };
