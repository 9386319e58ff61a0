// "key=value" pairs typed into one input box, separated by new lines or semicolons.
export function parseAnnotations(text: string): { annotations: Record<string, string>; problem?: string } {
  const annotations: Record<string, string> = {};
  for (const part of text.split(/[;\n]/).map((p) => p.trim()).filter(Boolean)) {
    const eq = part.indexOf('=');
    if (eq < 1) return { annotations, problem: `"${part}" is not key=value` };
    annotations[part.slice(0, eq).trim()] = part.slice(eq + 1).trim();
  }
  return { annotations };
}
