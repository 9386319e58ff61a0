// Runs a parsed template over a JSON value, as Go's text/template does over the same JSON: fields are map keys,
// ranges walk lists in order and maps in key order, variables are scoped to their block. Every string of the value
// (it comes from a registry or a layout) is shown with its invisible characters made visible before any of it is
// printed: a template cannot put a registry's control characters on the terminal.
import { showInvisible } from '../../core/oci';
import { FUNCTIONS, show, truthy } from './functions';
import { parseTemplate, TemplateError, type Node, type Operand, type Pipeline } from './parse';

interface Variable {
  name: string;
  value: unknown;
}

class LoopSignal {
  constructor(readonly kind: 'break' | 'continue') {}
}

/** The strings and keys of `value` with invisible characters shown (a copy; JSON values only). */
function visible(value: unknown): unknown {
  if (typeof value === 'string') return showInvisible(value);
  if (Array.isArray(value)) return value.map(visible);
  if (value && typeof value === 'object')
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [showInvisible(k), visible(v)]));
  return value;
}

function field(value: unknown, name: string): unknown {
  if (value && typeof value === 'object' && !Array.isArray(value)) return (value as Record<string, unknown>)[name];
  if (value === undefined || value === null) return undefined;
  throw new TemplateError(`can't evaluate field ${name} in ${show(value)}`);
}

function fields(value: unknown, names: readonly string[]): unknown {
  return names.reduce(field, value);
}

class Run {
  private readonly variables: Variable[];
  private out = '';

  constructor(root: unknown) {
    this.variables = [{ name: '$', value: root }];
  }

  render(nodes: readonly Node[], dot: unknown): string {
    this.block(nodes, dot);
    return this.out;
  }

  private block(nodes: readonly Node[], dot: unknown): void {
    const mark = this.variables.length;
    try {
      for (const node of nodes) this.node(node, dot);
    } finally {
      this.variables.length = mark;
    }
  }

  private node(node: Node, dot: unknown): void {
    switch (node.kind) {
      case 'text':
        this.out += node.text;
        return;
      case 'action': {
        const value = this.pipeline(node.pipeline, dot);
        if (!node.pipeline.variables.length) this.out += show(value);
        return;
      }
      case 'break':
      case 'continue':
        throw new LoopSignal(node.kind);
      case 'if':
      case 'with': {
        const mark = this.variables.length;
        try {
          const value = this.pipeline(node.pipeline, dot);
          if (truthy(value)) this.block(node.then, node.kind === 'with' ? value : dot);
          else this.block(node.otherwise, dot);
        } finally {
          this.variables.length = mark;
        }
        return;
      }
      case 'range':
        this.range(node, dot);
    }
  }

  private range(node: Extract<Node, { kind: 'range' }>, dot: unknown): void {
    const { variables } = node.pipeline;
    const value = this.pipeline({ ...node.pipeline, variables: [] }, dot);
    let entries: [unknown, unknown][];
    if (Array.isArray(value)) entries = value.map((v, i) => [i, v]);
    else if (typeof value === 'number')
      entries = Array.from({ length: Math.max(0, Math.trunc(value)) }, (_, i) => [i, i]);
    else if (value && typeof value === 'object')
      entries = Object.keys(value)
        .sort()
        .map((k) => [k, (value as Record<string, unknown>)[k]]);
    else if (value === undefined || value === null) entries = [];
    else throw new TemplateError(`range can't iterate over ${show(value)}`);
    if (!entries.length) {
      this.block(node.otherwise, dot);
      return;
    }
    for (const [key, element] of entries) {
      const mark = this.variables.length;
      if (variables.length === 1) this.variables.push({ name: variables[0]!, value: element });
      if (variables.length === 2)
        this.variables.push({ name: variables[0]!, value: key }, { name: variables[1]!, value: element });
      try {
        this.block(node.then, element);
      } catch (signal) {
        if (!(signal instanceof LoopSignal)) throw signal;
        if (signal.kind === 'break') return;
      } finally {
        this.variables.length = mark;
      }
    }
  }

  private pipeline(pipeline: Pipeline, dot: unknown): unknown {
    let value: unknown;
    let piped = false;
    for (const command of pipeline.commands) {
      const [head, ...rest] = command.args;
      if (head!.kind === 'function') {
        const args = rest.map((arg) => this.operand(arg, dot));
        if (piped) args.push(value);
        try {
          value = FUNCTIONS[head!.name]!(...args);
        } catch (err) {
          throw new TemplateError(`error calling ${head!.name}: ${(err as Error).message}`);
        }
      } else {
        if (rest.length || piped) throw new TemplateError(`can't give argument to non-function ${describe(head!)}`);
        value = this.operand(head!, dot);
      }
      piped = true;
    }
    if (pipeline.variables.length && !pipeline.assign)
      for (const name of pipeline.variables) this.variables.push({ name, value });
    if (pipeline.assign) {
      const name = pipeline.variables[0]!;
      const variable = this.lookup(name);
      if (!variable) throw new TemplateError(`undefined variable: ${name}`);
      variable.value = value;
    }
    return value;
  }

  /** The innermost variable of that name. */
  private lookup(name: string): Variable | undefined {
    for (let i = this.variables.length - 1; i >= 0; i--) if (this.variables[i]!.name === name) return this.variables[i];
    return undefined;
  }

  private operand(operand: Operand, dot: unknown): unknown {
    switch (operand.kind) {
      case 'dot':
        return fields(dot, operand.fields);
      case 'literal':
        return operand.value;
      case 'group':
        return fields(this.pipeline(operand.pipeline, dot), operand.fields);
      case 'function':
        try {
          return FUNCTIONS[operand.name]!();
        } catch (err) {
          throw new TemplateError(`error calling ${operand.name}: ${(err as Error).message}`);
        }
      case 'variable': {
        const variable = this.lookup(operand.name);
        if (!variable) throw new TemplateError(`undefined variable: ${operand.name}`);
        return fields(variable.value, operand.fields);
      }
    }
  }
}

function describe(operand: Operand): string {
  if (operand.kind === 'dot') return `.${operand.fields.join('.')}`;
  if (operand.kind === 'variable') return [operand.name, ...operand.fields].join('.');
  return show(operand.kind === 'literal' ? operand.value : '(…)');
}

/** A template checked once (syntax and function names), rendered for each value. */
export class GoTemplate {
  private readonly nodes: Node[];

  constructor(readonly source: string) {
    this.nodes = parseTemplate(source, (name) => Object.hasOwn(FUNCTIONS, name));
  }

  render(value: unknown): string {
    const data = visible(value);
    try {
      return new Run(data).render(this.nodes, data);
    } catch (err) {
      if (err instanceof TemplateError) throw new TemplateError(`the Go template: ${err.message}`);
      throw err;
    }
  }
}

export { TemplateError };
