// `cem analyze` (run by `npm run build`): custom-elements.json, from the elements' JSDoc (@summary,
// @attr, @fires, @slot, @csspart, @cssprop, @customState) and their `static properties`, for
// editors, Storybook's Docs pages and frameworks. See gatherConventions() for what it is taught.

/** The text of a property name or string literal node. */
const nameOf = (ts, node) => (node && (ts.isIdentifier(node) || ts.isStringLiteral(node)) ? node.text : undefined);

/**
 * What the analyzer cannot see by itself in this code base, gathered from every module first:
 * - tags: elements are registered with `define('gather-poll', GatherPoll)` (components/shared/define.ts);
 * - `{ state: true }` properties are private reactive state, not attributes (it lists them as public attributes);
 * - `...roomProperties` spread into `static properties` (components/shared/room-attributes.ts) are attributes of the
 *   elements that spread them (`room`, `signaling`, `ice-servers`, `password`, `keeper`).
 */
function gatherConventions() {
  const tags = new Map(); // class name -> tag
  const objects = new Map(); // exported property-declaration objects by name -> [{ name, attribute }]
  const classes = new Map(); // class name -> { states: Set, spreads: [] }

  /** The entries of a `{ name: { attribute: 'x', state: true }, … }` literal. */
  const entries = (ts, literal) =>
    literal.properties.flatMap((property) => {
      if (ts.isSpreadAssignment(property)) return [{ spread: property.expression.getText() }];
      const name = nameOf(ts, property.name);
      if (!name || !ts.isPropertyAssignment(property)) return [];
      const options = ts.isObjectLiteralExpression(property.initializer) ? property.initializer.properties : [];
      const option = (key) => options.find((o) => ts.isPropertyAssignment(o) && nameOf(ts, o.name) === key)?.initializer;
      const attribute = option('attribute');
      const state = option('state')?.kind === ts.SyntaxKind.TrueKeyword;
      const noAttribute = attribute?.kind === ts.SyntaxKind.FalseKeyword;
      return [{ name, state, attribute: noAttribute ? null : attribute && ts.isStringLiteral(attribute) ? attribute.text : name.toLowerCase() }];
    });

  return {
    name: 'gather-conventions',
    collectPhase({ ts, node }) {
      if (ts.isCallExpression(node) && nameOf(ts, node.expression) === 'define' && node.arguments.length === 2) {
        const [tag, cls] = node.arguments;
        if (ts.isStringLiteral(tag) && ts.isIdentifier(cls)) tags.set(cls.text, tag.text);
      }
      if (ts.isVariableDeclaration(node) && node.initializer && ts.isObjectLiteralExpression(node.initializer) && /Properties$/.test(nameOf(ts, node.name) ?? '')) {
        objects.set(node.name.text, entries(ts, node.initializer));
      }
      if (ts.isClassDeclaration(node) && node.name) {
        // `@customState name - description` (the analyzer knows only @cssState).
        const customStates = ts
          .getJSDocTags(node)
          .filter((tag) => tag.tagName.text === 'customState')
          .map((tag) => /^\s*([\w-]+)\s*(?:-\s*)?([\s\S]*)$/.exec(ts.getTextOfJSDocComment(tag.comment) ?? ''))
          .filter(Boolean)
          .map(([, name, description]) => ({ name, description: description.trim() }));
        const info = { states: new Set(), spreads: [], customStates };
        for (const member of node.members) {
          if (!ts.isPropertyDeclaration(member) || nameOf(ts, member.name) !== 'properties' || !member.initializer) continue;
          if (ts.isIdentifier(member.initializer)) info.spreads.push(member.initializer.text); // `static properties = roomProperties`
          if (!ts.isObjectLiteralExpression(member.initializer)) continue;
          const list = entries(ts, member.initializer);
          info.states = new Set(list.filter((e) => e.state).map((e) => e.name));
          info.spreads.push(...list.filter((e) => e.spread).map((e) => e.spread));
        }
        classes.set(node.name.text, info);
      }
    },
    moduleLinkPhase({ moduleDoc }) {
      for (const declaration of moduleDoc.declarations ?? []) {
        if (declaration.kind !== 'class') continue;
        const tag = tags.get(declaration.name);
        if (tag) {
          declaration.tagName = tag;
          declaration.customElement = true;
          moduleDoc.exports = [...(moduleDoc.exports ?? []), { kind: 'custom-element-definition', name: tag, declaration: { name: declaration.name, module: moduleDoc.path } }];
        }
        const info = classes.get(declaration.name);
        if (!info) continue;
        if (info.customStates.length > 0) declaration.cssStates = [...(declaration.cssStates ?? []), ...info.customStates];
        // Private state: no attribute, private member.
        declaration.attributes = (declaration.attributes ?? []).filter((attribute) => !info.states.has(attribute.fieldName ?? attribute.name));
        for (const member of declaration.members ?? []) {
          if (info.states.has(member.name)) {
            member.privacy = 'private';
            delete member.attribute;
          }
        }
        // Spread property declarations: their attributes, on the element's documented members.
        for (const spread of info.spreads) {
          for (const entry of objects.get(spread) ?? []) {
            if (entry.attribute === null || entry.spread) continue;
            const member = declaration.members?.find((m) => m.name === entry.name);
            if (member?.privacy === 'private' || member?.privacy === 'protected') continue;
            if (member) member.attribute = entry.attribute;
            if (!declaration.attributes.some((a) => a.name === entry.attribute)) {
              declaration.attributes.push({ name: entry.attribute, fieldName: entry.name, ...(member?.description ? { description: member.description } : {}), ...(member?.type ? { type: member.type } : {}) });
            }
          }
        }
      }
    },
  };
}

export default {
  globs: ['components/**/*.ts'],
  exclude: ['components/rsvp/**', 'components/**/*.styles.ts', 'components/**/strings*.ts', 'components/embed*.ts'],
  outdir: '.',
  litelement: true,
  packagejson: false, // package.json names the manifest itself (customElements)
  plugins: [gatherConventions()],
};
