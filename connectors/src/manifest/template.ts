/** Fills `{name}` placeholders; `encode` is applied to every substituted value (not to the template). */
export function fillTemplate(
  template: string,
  vars: Record<string, string | undefined>,
  encode: (v: string) => string = (v) => v,
): string {
  return template.replace(/\{([A-Za-z0-9_]+)\}/g, (whole, name: string) => {
    const value = vars[name];
    if (value === undefined) throw new TemplateVariableMissing(name, template);
    return encode(value);
  });
}

export class TemplateVariableMissing extends Error {
  constructor(readonly variable: string, template: string) {
    super(`no value for {${variable}} in ${template}`);
  }
}

/** Reads a dot path (`fields.email`, `data.0.ID`); the empty path is the value itself. */
export function readPath(value: unknown, path: string | undefined): unknown {
  if (!path) return value;
  let current: unknown = value;
  for (const part of path.split('.')) {
    if (current === null || typeof current !== 'object') return undefined;
    current = (current as Record<string, unknown>)[part];
  }
  return current;
}
